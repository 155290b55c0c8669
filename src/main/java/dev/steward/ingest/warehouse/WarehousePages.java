package dev.steward.ingest.warehouse;

import dev.steward.core.ConflictException;
import dev.steward.core.FieldError;
import dev.steward.core.Formats;
import dev.steward.core.InvalidInputException;
import dev.steward.ingest.Sources;
import dev.steward.ingest.csv.TableImports;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Warehouse sources on the data sources pages, for administrators: the form that connects one (tested before it is
 * kept), the panel of a source's page (connection, schedule, pull now, the latest pulls, which reloads itself while one
 * runs) and its feeds: an editor that runs the query on a sample, suggests the mapping of its columns, shows what each
 * sample row becomes or why it would be rejected, and saves the feed.
 */
@Controller
@RequestMapping("/sources")
class WarehousePages {

    private static final String MAP = "map.";

    private final WarehouseSources warehouses;
    private final TableImports tables;
    private final Sources sources;
    private final ObjectMapper json;
    private final Formats formats;

    WarehousePages(
            WarehouseSources warehouses, TableImports tables, Sources sources, ObjectMapper json, Formats formats) {
        this.warehouses = warehouses;
        this.tables = tables;
        this.sources = sources;
        this.json = json;
        this.formats = formats;
    }

    /** The password typed in is never shown back: a refused form comes back with the rest and the reason. */
    @PostMapping("/warehouse")
    String connect(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String jdbcUrl,
            @RequestParam(defaultValue = "") String user,
            @RequestParam(defaultValue = "") String password,
            @RequestParam(required = false) Integer everyMinutes,
            Authentication authentication,
            Model model) {
        requireAdministrator(authentication);
        try {
            WarehouseSources.WarehouseView view = warehouses.create(
                    name.strip(), new WarehouseSources.ConnectionInput(jdbcUrl, user, password, everyMinutes, null));
            return "redirect:/sources/" + view.name();
        } catch (InvalidInputException e) {
            FieldError error = e.errors().get(0);
            model.addAttribute("warehouseField", error.field());
            model.addAttribute("warehouseError", sentence(error));
        } catch (ConflictException e) {
            model.addAttribute("warehouseField", "name");
            model.addAttribute(
                    "warehouseError", "A source named '" + name.strip() + "' already exists; choose another name.");
        }
        model.addAttribute("activeNav", "sources");
        model.addAttribute("sources", sources.all());
        model.addAttribute("warehouseName", name);
        model.addAttribute("warehouseUrl", jdbcUrl);
        model.addAttribute("warehouseUser", user);
        model.addAttribute("warehouseEvery", everyMinutes);
        return "ingest/sources";
    }

    /** The connection panel; htmx loads it, and again every two seconds while a pull runs. */
    @GetMapping("/{name}/warehouse")
    String panel(@PathVariable String name, Model model) {
        model.addAttribute("warehouse", warehouses.get(name));
        return "ingest/warehouse :: panel";
    }

    @PostMapping("/{name}/warehouse/pull")
    String pull(@PathVariable String name, Authentication authentication, Model model) {
        requireAdministrator(authentication);
        try {
            warehouses.pullNow(name);
            model.addAttribute("pullStarted", true);
        } catch (ConflictException e) {
            model.addAttribute("pullError", e.getMessage());
        }
        return panel(name, model);
    }

    @PostMapping("/{name}/warehouse/schedule")
    String schedule(
            @PathVariable String name,
            @RequestParam(required = false) Integer everyMinutes,
            @RequestParam(defaultValue = "false") boolean paused,
            Authentication authentication,
            Model model) {
        requireAdministrator(authentication);
        try {
            warehouses.update(name, new WarehouseSources.ConnectionInput(null, null, null, everyMinutes, paused));
        } catch (InvalidInputException e) {
            model.addAttribute("scheduleError", sentence(e.errors().get(0)));
        }
        return panel(name, model);
    }

    /** The feeds card: the saved feeds and the editor, empty or holding the feed named by {@code feed}. */
    @GetMapping("/{name}/warehouse/feeds")
    String feeds(@PathVariable String name, @RequestParam(required = false) String feed, Model model) {
        WarehouseSources.WarehouseView warehouse = warehouses.get(name);
        Editor editor = warehouse.feeds().stream()
                .filter(f -> f.name().equals(feed))
                .findFirst()
                .map(f -> new Editor(f.name(), f.entity(), f.accountsSource(), f.query(), f.watermarkColumn(), true))
                .orElseGet(() -> new Editor("", "usage", warehouse.name(), "", null, false));
        model.addAttribute("editor", editor);
        if (editor.existing()) {
            WarehouseSources.FeedView saved = warehouse.feeds().stream()
                    .filter(f -> f.name().equals(feed))
                    .findFirst()
                    .orElseThrow();
            check(name, editor, saved.mapping() instanceof ObjectNode o ? o : null, model);
        }
        return feedsCard(warehouse, model);
    }

    @PostMapping("/{name}/warehouse/check")
    String check(
            @PathVariable String name,
            @RequestParam MultiValueMap<String, String> form,
            Authentication authentication,
            Model model) {
        requireAdministrator(authentication);
        Editor editor = Editor.of(form);
        model.addAttribute("editor", editor);
        check(name, editor, mapping(form, editor.entity()), model);
        return "ingest/warehouse :: check";
    }

    @PostMapping("/{name}/warehouse/feeds")
    String save(
            @PathVariable String name,
            @RequestParam MultiValueMap<String, String> form,
            Authentication authentication,
            Model model) {
        requireAdministrator(authentication);
        Editor editor = Editor.of(form);
        ObjectNode mapping = mapping(form, editor.entity());
        try {
            WarehouseSources.FeedView saved = warehouses.saveFeed(
                    name,
                    new WarehouseSources.FeedInput(
                            editor.name(),
                            editor.query(),
                            editor.entity(),
                            mapping,
                            editor.accountsSource(),
                            editor.watermarkColumn()));
            model.addAttribute("saved", saved.name());
            model.addAttribute("editor", new Editor("", "usage", name, "", null, false));
        } catch (InvalidInputException e) {
            model.addAttribute("editor", editor);
            model.addAttribute(
                    "saveErrors",
                    e.errors().stream().map(WarehousePages::sentence).toList());
            check(name, editor, mapping, model);
        }
        return feedsCard(warehouses.get(name), model);
    }

    @PostMapping("/{name}/warehouse/feeds/{feed}/delete")
    String delete(@PathVariable String name, @PathVariable String feed, Authentication authentication, Model model) {
        requireAdministrator(authentication);
        warehouses.deleteFeed(name, feed);
        model.addAttribute("editor", new Editor("", "usage", name, "", null, false));
        model.addAttribute("deleted", feed);
        return feedsCard(warehouses.get(name), model);
    }

    /** What the feed editor holds. */
    record Editor(
            String name,
            String entity,
            String accountsSource,
            String query,
            @Nullable String watermarkColumn,
            boolean existing) {

        static Editor of(MultiValueMap<String, String> form) {
            return new Editor(
                    value(form, "name"),
                    value(form, "entity").isEmpty() ? "usage" : value(form, "entity"),
                    value(form, "accountsSource"),
                    value(form, "query"),
                    value(form, "watermarkColumn").isEmpty() ? null : value(form, "watermarkColumn"),
                    "true".equals(value(form, "existing")));
        }

        private static String value(MultiValueMap<String, String> form, String key) {
            String value = form.getFirst(key);
            return value == null ? "" : value.strip();
        }
    }

    private String feedsCard(WarehouseSources.WarehouseView warehouse, Model model) {
        model.addAttribute("warehouse", warehouse);
        model.addAttribute("entities", tables.entities());
        return "ingest/warehouse :: feeds";
    }

    /** Runs the check for the editor; a refusal is shown in the editor instead of the sample. */
    private void check(String name, Editor editor, @Nullable ObjectNode mapping, Model model) {
        model.addAttribute("entities", tables.entities());
        model.addAttribute(
                "fields",
                tables.entities().stream()
                        .filter(e -> e.name().equals(editor.entity()))
                        .findFirst()
                        .map(TableImports.Entity::fields)
                        .orElse(List.of()));
        if (editor.query().isEmpty()) {
            model.addAttribute("checkError", "Write the query first.");
            return;
        }
        try {
            WarehouseSources.CheckView check = warehouses.check(
                    name,
                    new WarehouseSources.FeedInput(
                            editor.name(),
                            editor.query(),
                            editor.entity(),
                            mapping,
                            editor.accountsSource(),
                            editor.watermarkColumn()));
            model.addAttribute("checked", check);
            Map<String, String> labels = new LinkedHashMap<>();
            tables.entities().stream()
                    .filter(e -> e.name().equals(editor.entity()))
                    .flatMap(e -> e.fields().stream())
                    .forEach(f -> labels.put(f.name(), f.label()));
            model.addAttribute(
                    "stored",
                    check.check().rows().stream()
                            .map(r -> shown(r.values(), labels))
                            .toList());
            Map<String, String> chosen = new LinkedHashMap<>();
            check.check().mapping().path("fields").properties().forEach(e -> {
                String column = e.getValue().isString()
                        ? e.getValue().asString()
                        : e.getValue().path("column").asString(null);
                if (column != null) {
                    chosen.put(e.getKey(), column);
                }
            });
            model.addAttribute("chosen", chosen);
            model.addAttribute(
                    "createMetrics",
                    check.check().mapping().path("createMetrics").asBoolean(false));
        } catch (InvalidInputException e) {
            model.addAttribute("checkError", sentence(e.errors().get(0)));
        }
    }

    /**
     * The mapping the form's column choices make ({@code map.<field>} = column), or null when the form has none yet
     * (the check then suggests one from the column names).
     */
    private @Nullable ObjectNode mapping(MultiValueMap<String, String> form, String entity) {
        boolean any = form.keySet().stream().anyMatch(k -> k.startsWith(MAP));
        if (!any) {
            return null;
        }
        ObjectNode mapping = json.createObjectNode();
        ObjectNode fields = mapping.putObject("fields");
        form.forEach((key, values) -> {
            if (key.startsWith(MAP) && !values.isEmpty() && !values.get(0).isBlank()) {
                fields.put(key.substring(MAP.length()), values.get(0));
            }
        });
        if ("true".equals(form.getFirst("createMetrics")) && entity.startsWith("usage")) {
            mapping.put("createMetrics", true);
        }
        return mapping;
    }

    /** What a sample row would store, as a person reads it: "Day 9 Mar 2026, Value 30". */
    private String shown(Map<String, Object> values, Map<String, String> labels) {
        List<String> parts = new java.util.ArrayList<>();
        values.forEach((field, value) -> {
            String text;
            if (value instanceof java.time.LocalDate || value instanceof java.time.Instant) {
                text = value instanceof java.time.LocalDate ? formats.day(value) : formats.time(value);
            } else if (value instanceof java.math.BigDecimal d) {
                text = d.stripTrailingZeros().toPlainString();
            } else {
                text = String.valueOf(value);
            }
            parts.add(labels.getOrDefault(field, field) + " " + text);
        });
        return String.join(", ", parts);
    }

    private static String sentence(FieldError error) {
        String field = error.field() == null ? "" : error.field();
        String label = switch (field) {
            case "jdbcUrl" -> "The JDBC URL: ";
            case "password" -> "The password: ";
            case "user" -> "The user: ";
            case "name" -> "The name ";
            case "query" -> "The query: ";
            case "everyMinutes" -> "How often: ";
            case "watermarkColumn" -> "The watermark column: ";
            case "entity" -> "What the rows are: ";
            default -> field.isEmpty() ? "" : field + ": ";
        };
        return label + error.reason();
    }

    private static void requireAdministrator(Authentication authentication) {
        boolean admin = authentication != null
                && authentication.getAuthorities().stream().anyMatch(a -> "ROLE_ADMIN".equals(a.getAuthority()));
        if (!admin) {
            throw new AccessDeniedException("Only administrators may connect and change warehouses");
        }
    }
}
