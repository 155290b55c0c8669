package dev.steward.ingest;

import dev.steward.core.InvalidInputException;
import java.util.List;
import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.ObjectMapper;

/**
 * The data sources page: every source, and per source its write keys (created, shown once, revoked), its mapping
 * settings, what it delivered per day, what was rejected and why, the events held for accounts not known yet, and the
 * events quarantined because they could not be applied, to replay or discard.
 */
@Controller
@RequestMapping("/sources")
class SourcePages {

    private static final String LIST = "ingest/sources";
    private static final String PAGE = "ingest/source";
    static final int HELD_SHOWN = 10;
    static final int QUARANTINED_SHOWN = 20;

    private final Sources sources;
    private final SourceAdministration administration;
    private final WriteKeys writeKeys;
    private final HeldEvents held;
    private final SourceVolumes volumes;
    private final ObjectMapper json;

    SourcePages(
            Sources sources,
            SourceAdministration administration,
            WriteKeys writeKeys,
            HeldEvents held,
            SourceVolumes volumes,
            ObjectMapper json) {
        this.sources = sources;
        this.administration = administration;
        this.writeKeys = writeKeys;
        this.held = held;
        this.volumes = volumes;
        this.json = json;
    }

    @GetMapping
    String list(Model model) {
        model.addAttribute("activeNav", "sources");
        model.addAttribute("sources", sources.all());
        return LIST;
    }

    @PostMapping
    String create(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "segment") String kind,
            Authentication authentication,
            Model model) {
        SourceController.requireAdministrator(authentication);
        try {
            Source source = administration.create(
                    new SourceAdministration.NewSource(name, Source.Kind.valueOf(kind), null, null));
            return "redirect:/sources/" + source.name();
        } catch (InvalidInputException | dev.steward.core.ConflictException e) {
            model.addAttribute("error", e.getMessage());
            model.addAttribute("name", name);
            return list(model);
        }
    }

    @GetMapping("/{name}")
    String source(@PathVariable String name, @RequestParam(defaultValue = "30") int days, Model model) {
        return page(sources.get(name), days, model);
    }

    @PostMapping("/{name}/write-keys")
    String createWriteKey(
            @PathVariable String name,
            @RequestParam(defaultValue = "") String keyName,
            Authentication authentication,
            Model model) {
        SourceController.requireAdministrator(authentication);
        model.addAttribute("created", writeKeys.create(name, keyName));
        return source(name, 30, model);
    }

    @PostMapping("/{name}/write-keys/{id}/revoke")
    String revokeWriteKey(@PathVariable String name, @PathVariable UUID id, Authentication authentication) {
        SourceController.requireAdministrator(authentication);
        writeKeys.revoke(name, id);
        return "redirect:/sources/" + name;
    }

    /** Replays the quarantined event with this messageId, or every quarantined event of the source. */
    @PostMapping("/{name}/quarantine/replay")
    String replay(
            @PathVariable String name,
            @RequestParam(required = false) String messageId,
            Authentication authentication,
            Model model) {
        SourceController.requireAdministrator(authentication);
        int replayed = administration.replay(name, messageId == null ? null : List.of(messageId));
        model.addAttribute(
                "quarantineMessage",
                replayed == 1
                        ? "1 event is back in the queue; it is applied within seconds."
                        : replayed + " events are back in the queue; they are applied within seconds.");
        return source(name, 30, model);
    }

    /** Discards the quarantined event with this messageId, or every quarantined event of the source. */
    @PostMapping("/{name}/quarantine/discard")
    String discard(
            @PathVariable String name,
            @RequestParam(required = false) String messageId,
            Authentication authentication,
            Model model) {
        SourceController.requireAdministrator(authentication);
        int discarded = administration.discard(name, messageId == null ? null : List.of(messageId));
        model.addAttribute(
                "quarantineMessage", discarded == 1 ? "1 event was discarded." : discarded + " events were discarded.");
        return source(name, 30, model);
    }

    /**
     * Sets what the source's group calls may do to accounts: create them, and which fields they may change on accounts
     * that exist; the rest of the settings stay as they are.
     */
    @PostMapping("/{name}/accounts")
    String saveAccountWrites(
            @PathVariable String name,
            @RequestParam(defaultValue = "false") boolean create,
            @RequestParam(required = false) List<String> update,
            Authentication authentication,
            Model model) {
        SourceController.requireAdministrator(authentication);
        Source source = sources.get(name);
        tools.jackson.databind.node.ObjectNode settings =
                source.settings() != null && source.settings().isObject()
                        ? ((tools.jackson.databind.node.ObjectNode) source.settings()).deepCopy()
                        : json.createObjectNode();
        tools.jackson.databind.node.ObjectNode accounts = settings.putObject("accounts");
        accounts.put("create", create);
        tools.jackson.databind.node.ArrayNode fields = accounts.putArray("update");
        SegmentSettings.ACCOUNT_FIELDS_IN_ORDER.stream()
                .filter(f -> update != null && update.contains(f))
                .forEach(fields::add);
        try {
            Source saved = administration.updateSettings(name, settings);
            model.addAttribute("accountsSaved", true);
            return page(saved, 30, model);
        } catch (InvalidInputException e) {
            model.addAttribute("accountsErrors", e.errors());
            return page(source, 30, model);
        }
    }

    /**
     * Saves the mapping form: rows of (what Segment sends → the Steward field it fills), checked as the API checks
     * JSON settings; a refused form comes back as it was typed, each problem under its row.
     */
    @PostMapping("/{name}/mapping")
    String saveMapping(
            @PathVariable String name,
            @RequestParam(name = "kind", required = false) List<String> kinds,
            @RequestParam(name = "from", required = false) List<String> froms,
            @RequestParam(name = "to", required = false) List<String> tos,
            @RequestParam(name = "keyFeature", required = false) List<Integer> keyFeatures,
            @RequestParam(defaultValue = "30") int days,
            Authentication authentication,
            Model model) {
        SourceController.requireAdministrator(authentication);
        Source source = sources.get(name);
        int count = Math.max(
                kinds == null ? 0 : kinds.size(),
                Math.max(froms == null ? 0 : froms.size(), tos == null ? 0 : tos.size()));
        if (count > MAX_MAPPING_ROWS) {
            throw new InvalidInputException(
                    "mapping", "has " + count + " rows; a source maps at most " + MAX_MAPPING_ROWS);
        }
        List<SegmentMappingForm.Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(new SegmentMappingForm.Row(
                    kind(at(kinds, i)), at(froms, i), at(tos, i), keyFeatures != null && keyFeatures.contains(i)));
        }
        SegmentMappingForm form = new SegmentMappingForm(rows);
        SegmentMappingForm.Checked checked = form.check(source.settings(), administration.metricKeys());
        if (!checked.valid()) {
            model.addAttribute("mapping", form);
            model.addAttribute("mappingProblems", checked);
            return page(source, days, model);
        }
        Source saved = administration.updateSettings(name, checked.settings());
        model.addAttribute("mappingSaved", true);
        return page(saved, days, model);
    }

    /** Most rows one mapping form may send: far more than any product's events, few enough to check at once. */
    static final int MAX_MAPPING_ROWS = 500;

    private static String at(List<String> values, int i) {
        return values == null || i >= values.size() ? "" : values.get(i);
    }

    private static SegmentMappingForm.Kind kind(String value) {
        for (SegmentMappingForm.Kind kind : SegmentMappingForm.Kind.values()) {
            if (kind.name().equals(value)) {
                return kind;
            }
        }
        return null;
    }

    private String page(Source source, int days, Model model) {
        model.addAttribute("activeNav", "sources");
        SourceAdministration.Status status = administration.status(source.name());
        model.addAttribute("status", status);
        model.addAttribute("volume", volumes.of(source.id(), days));
        model.addAttribute("periods", SourceVolumes.PERIODS);
        model.addAttribute(
                "endpointUrl",
                ServletUriComponentsBuilder.fromCurrentContextPath().toUriString());
        if (!model.containsAttribute("mapping")) {
            model.addAttribute("mapping", SegmentMappingForm.of(source.settings()));
        }
        model.addAttribute("mappingKinds", SegmentMappingForm.Kind.values());
        model.addAttribute("metricKeys", administration.metricKeys());
        model.addAttribute("held", held.latest(source.id(), HELD_SHOWN));
        model.addAttribute("quarantined", administration.quarantined(source.name(), QUARANTINED_SHOWN));
        model.addAttribute(
                "accountWrites", SegmentSettings.of(source.settings()).accounts());
        model.addAttribute("accountFields", SegmentSettings.ACCOUNT_FIELDS_IN_ORDER);
        return PAGE;
    }
}
