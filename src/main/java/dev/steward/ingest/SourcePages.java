package dev.steward.ingest;

import dev.steward.core.FieldError;
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
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;

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
    private final ObjectMapper json;

    SourcePages(
            Sources sources,
            SourceAdministration administration,
            WriteKeys writeKeys,
            HeldEvents held,
            ObjectMapper json) {
        this.sources = sources;
        this.administration = administration;
        this.writeKeys = writeKeys;
        this.held = held;
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
    String source(@PathVariable String name, Model model) {
        Source source = sources.get(name);
        return page(source, pretty(source.settings()), List.of(), model);
    }

    @PostMapping("/{name}/write-keys")
    String createWriteKey(
            @PathVariable String name,
            @RequestParam(defaultValue = "") String keyName,
            Authentication authentication,
            Model model) {
        SourceController.requireAdministrator(authentication);
        model.addAttribute("created", writeKeys.create(name, keyName));
        return source(name, model);
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
        return source(name, model);
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
        return source(name, model);
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
            return page(saved, pretty(saved.settings()), List.of(), model);
        } catch (InvalidInputException e) {
            return page(source, pretty(source.settings()), e.errors(), model);
        }
    }

    @PostMapping("/{name}/settings")
    String saveSettings(
            @PathVariable String name,
            @RequestParam(defaultValue = "") String settings,
            Authentication authentication,
            Model model) {
        SourceController.requireAdministrator(authentication);
        Source source = sources.get(name);
        JsonNode parsed;
        try {
            parsed = settings.isBlank() ? json.createObjectNode() : json.readTree(settings);
        } catch (JacksonException e) {
            return page(
                    source, settings, List.of(FieldError.of(null, "not valid JSON: " + e.getOriginalMessage())), model);
        }
        try {
            Source saved = administration.updateSettings(name, parsed);
            model.addAttribute("saved", true);
            return page(saved, pretty(saved.settings()), List.of(), model);
        } catch (InvalidInputException e) {
            return page(source, settings, e.errors(), model);
        }
    }

    private String page(Source source, String settings, List<FieldError> settingsErrors, Model model) {
        model.addAttribute("activeNav", "sources");
        SourceAdministration.Status status = administration.status(source.name());
        model.addAttribute("status", status);
        model.addAttribute(
                "peak",
                Math.max(
                        1,
                        status.days().stream()
                                .mapToLong(d -> d.accepted() + d.rejected())
                                .max()
                                .orElse(1)));
        model.addAttribute("settings", settings);
        model.addAttribute("settingsErrors", settingsErrors);
        model.addAttribute("held", held.latest(source.id(), HELD_SHOWN));
        model.addAttribute("quarantined", administration.quarantined(source.name(), QUARANTINED_SHOWN));
        model.addAttribute(
                "accountWrites", SegmentSettings.of(source.settings()).accounts());
        model.addAttribute("accountFields", SegmentSettings.ACCOUNT_FIELDS_IN_ORDER);
        return PAGE;
    }

    private String pretty(JsonNode settings) {
        return json.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(settings);
    }
}
