package dev.steward.outreach;

import dev.steward.core.DocumentText;
import dev.steward.core.DocumentVersion;
import dev.steward.core.InvalidInputException;
import dev.steward.identity.UserDirectory;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The Email journeys list, a journey's page (its YAML in an editor checked as it is typed, a dry run, a preview of an
 * email step with a real contact's data and a test send to oneself, drafts, publication, switching off, history) and
 * its results page.
 */
@Controller
@RequestMapping("/outreach/journeys")
class OutreachPages {

    private static final String LIST = "outreach/journeys";
    private static final String PAGE = "outreach/journey";

    /** What a new journey's editor starts with. */
    static final String TEMPLATE = """
            name: Onboarding welcome
            description: New SMB accounts hear from us in their first week.
            audience:
              segment: SMB              # a published segment; leave out for every account
              roles: [admin, champion]
            trigger:
              type: segment_entered     # segment_entered, stage_entered or renewal (with days)
              segment: SMB
            steps:
              - email:
                  subject: "Welcome aboard, {{contact.first_name}}"
                  text: |
                    Hello {{contact}},

                    I am {{csm}}, your contact at our company for {{account}}. Reply to this email any time.
                  html: |
                    <p>Hello {{contact}},</p>
                    <p>I am {{csm}}, your contact for {{account}}. Reply to this email any time.</p>
              - wait: 3
              - branch:
                  if: health.score < 50
                  then: help
              - email:
                  subject: "Three things teams like yours do first"
                  text: "…"
              - exit
              - id: help
                email:
                  subject: "Can we help, {{contact.first_name}}?"
                  text: "…"
            exitWhen: account.tier == "Enterprise"
            goal: health.score >= 70
            holdoutPercent: 10
            """;

    private final JourneyManagement journeys;
    private final UserDirectory users;

    OutreachPages(JourneyManagement journeys, UserDirectory users) {
        this.journeys = journeys;
        this.users = users;
    }

    /** A row of the history: the version and the one its diff link compares it with, if any. */
    record HistoryEntry(DocumentVersion version, @Nullable Integer diffFrom) {}

    @GetMapping
    String list(Authentication authentication, Model model) {
        model.addAttribute("activeNav", "journeys");
        model.addAttribute("journeys", journeys.list());
        model.addAttribute("mayEdit", journeys.mayEdit(users.signedIn(authentication)));
        return LIST;
    }

    @GetMapping("/new")
    String newJourney(Authentication authentication, Model model) {
        return editor(null, TEMPLATE, authentication, model);
    }

    /** Saves the first draft of a new journey, named by its document. */
    @PostMapping
    String create(
            @RequestParam(defaultValue = "") String yaml,
            Authentication authentication,
            Model model,
            RedirectAttributes redirect,
            HttpServletResponse response) {
        String text = lineEnds(yaml);
        String name = nameOf(text);
        if (name == null || journeys.list().stream().anyMatch(j -> j.name().equals(name))) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            if (name != null) {
                model.addAttribute(
                        "refusal", List.of("name: a journey named '" + name + "' exists; open it to change it"));
            }
            return editor(null, text, authentication, model);
        }
        try {
            DocumentText<JourneyProblem> saved = journeys.saveDraft(name, text, users.signedIn(authentication));
            redirect.addFlashAttribute("saved", saved.version());
            return "redirect:" + path(name);
        } catch (InvalidInputException | AccessDeniedException e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("refusal", messages(e));
            return editor(null, text, authentication, model);
        }
    }

    @GetMapping("/{name}")
    String journey(
            @PathVariable String name,
            @RequestParam(required = false) Integer version,
            Authentication authentication,
            Model model) {
        List<DocumentVersion> versions = journeys.versions(name);
        DocumentText<JourneyProblem> shown =
                journeys.version(name, version == null ? versions.get(0).version() : version);
        Integer published = versions.stream()
                .filter(v -> v.status() == DocumentVersion.Status.PUBLISHED)
                .map(DocumentVersion::version)
                .findFirst()
                .orElse(null);
        model.addAttribute("shown", shown);
        model.addAttribute("publishedVersion", published);
        model.addAttribute("on", journeys.isOn(name));
        model.addAttribute(
                "history",
                versions.stream()
                        .map(v -> new HistoryEntry(v, v.version() > 1 ? v.version() - 1 : null))
                        .toList());
        return editor(name, shown.yaml(), authentication, model);
    }

    @PostMapping("/check")
    String check(
            @RequestParam(required = false) String name, @RequestParam(defaultValue = "") String yaml, Model model) {
        try {
            model.addAttribute("check", journeys.validate(blank(name), lineEnds(yaml)));
        } catch (InvalidInputException e) {
            model.addAttribute("check", new JourneyViews.Validation(false, problems(e)));
        }
        return PAGE + " :: check";
    }

    @PostMapping("/dry-run")
    String dryRun(
            @RequestParam(required = false) String name, @RequestParam(defaultValue = "") String yaml, Model model) {
        try {
            model.addAttribute("dryRun", journeys.dryRun(blank(name), lineEnds(yaml)));
        } catch (InvalidInputException e) {
            model.addAttribute("dryRunRefusal", messages(e));
        }
        return PAGE + " :: dry-run";
    }

    /** An email step with a real contact's data; with {@code send}, also sent to the signed-in person. */
    @PostMapping("/preview")
    String preview(
            @RequestParam(required = false) String name,
            @RequestParam(defaultValue = "") String yaml,
            @RequestParam(defaultValue = "0") int step,
            @RequestParam(required = false) String contact,
            @RequestParam(defaultValue = "false") boolean send,
            Authentication authentication,
            Model model) {
        try {
            UUID contactId = contact == null || contact.isBlank() ? null : UUID.fromString(contact.strip());
            model.addAttribute(
                    "preview",
                    send
                            ? journeys.testSend(
                                    blank(name), lineEnds(yaml), step, contactId, users.signedIn(authentication))
                            : journeys.preview(blank(name), lineEnds(yaml), step, contactId));
            model.addAttribute("sentToMe", send);
        } catch (InvalidInputException | AccessDeniedException e) {
            model.addAttribute("previewRefusal", messages(e));
        } catch (IllegalArgumentException e) {
            model.addAttribute("previewRefusal", List.of("contact: is not a contact's id"));
        }
        return PAGE + " :: preview";
    }

    @PostMapping("/{name}/versions")
    String saveDraft(
            @PathVariable String name,
            @RequestParam(defaultValue = "") String yaml,
            Authentication authentication,
            RedirectAttributes redirect) {
        try {
            DocumentText<JourneyProblem> saved =
                    journeys.saveDraft(name, lineEnds(yaml), users.signedIn(authentication));
            redirect.addFlashAttribute("saved", saved.version());
        } catch (InvalidInputException | AccessDeniedException e) {
            redirect.addFlashAttribute("refusal", messages(e));
        }
        return "redirect:" + path(name);
    }

    @PostMapping("/{name}/versions/{version}/publish")
    String publish(
            @PathVariable String name,
            @PathVariable int version,
            Authentication authentication,
            RedirectAttributes redirect) {
        try {
            redirect.addFlashAttribute("published", journeys.publish(name, version, users.signedIn(authentication)));
        } catch (InvalidInputException | AccessDeniedException e) {
            redirect.addFlashAttribute("refusal", messages(e));
        }
        return "redirect:" + path(name);
    }

    @PostMapping("/{name}/switch-off")
    String switchOff(@PathVariable String name, Authentication authentication, RedirectAttributes redirect) {
        try {
            journeys.switchOff(name, users.signedIn(authentication));
            redirect.addFlashAttribute("switchedOff", true);
        } catch (AccessDeniedException e) {
            redirect.addFlashAttribute("refusal", messages(e));
        }
        return "redirect:" + path(name);
    }

    @GetMapping("/{name}/results")
    String results(@PathVariable String name, Model model) {
        model.addAttribute("activeNav", "journeys");
        model.addAttribute("name", name);
        model.addAttribute("results", journeys.results(name));
        model.addAttribute("contacts", journeys.enrolled(name, 200));
        return "outreach/results";
    }

    private String editor(@Nullable String name, String yaml, Authentication authentication, Model model) {
        model.addAttribute("activeNav", "journeys");
        model.addAttribute("name", name);
        model.addAttribute("yaml", yaml);
        model.addAttribute("mayEdit", journeys.mayEdit(users.signedIn(authentication)));
        if (!model.containsAttribute("on")) {
            // A journey not saved yet is not on (the page's switch-off button reads it).
            model.addAttribute("on", false);
        }
        if (!model.containsAttribute("check")) {
            try {
                model.addAttribute("check", journeys.validate(name, yaml));
            } catch (InvalidInputException e) {
                model.addAttribute("check", new JourneyViews.Validation(false, problems(e)));
            }
        }
        return PAGE;
    }

    private static List<JourneyProblem> problems(InvalidInputException e) {
        return e.errors().stream()
                .map(error -> new JourneyProblem(null, null, error.field(), error.reason()))
                .toList();
    }

    private static @Nullable String nameOf(String yaml) {
        try {
            Object document = new org.yaml.snakeyaml.Yaml(
                            new org.yaml.snakeyaml.constructor.SafeConstructor(new org.yaml.snakeyaml.LoaderOptions()))
                    .load(yaml);
            if (document instanceof Map<?, ?> map && map.get("name") instanceof String name) {
                return name.isBlank() ? null : name.strip();
            }
        } catch (RuntimeException e) {
            // Not YAML: the check says where.
        }
        return null;
    }

    private static List<String> messages(RuntimeException e) {
        if (e instanceof InvalidInputException invalid) {
            return invalid.errors().stream()
                    .map(error -> (error.field() == null ? "" : error.field() + ": ") + error.reason())
                    .toList();
        }
        return List.of(String.valueOf(e.getMessage()));
    }

    private static String path(String name) {
        return UriComponentsBuilder.fromPath("/outreach/journeys/{name}")
                .buildAndExpand(name)
                .encode()
                .toUriString();
    }

    private static @Nullable String blank(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String lineEnds(String yaml) {
        return yaml.replace("\r\n", "\n");
    }
}
