package dev.steward.playbook;

import dev.steward.core.DocumentText;
import dev.steward.core.DocumentVersion;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The Playbooks list (trigger, CTA type, on or off, open CTAs) with the shipped playbooks to install, and a playbook's
 * page: its YAML in an editor checked as it is typed, a dry run on current data and replayed over the past year,
 * drafts, publication, running now, switching off, the version history with diffs, and whether it works (its report
 * against the control group).
 */
@Controller
@RequestMapping("/playbooks")
class PlaybookPages {

    private static final String LIST = "playbook/playbooks";
    private static final String PAGE = "playbook/playbook";

    /** What a new playbook's editor starts with. */
    static final String TEMPLATE = """
            name: Champion left
            description: An account whose champion left gets a new one found within a week.
            trigger:
              type: condition
              condition: account.tier == "Enterprise" && health.color == "yellow"
            cta:
              type: risk
              title: "Find a new champion at {account}"
              priority: auto
              slaDays: 5
              owner: csm
            tasks:
              - title: Ask the main contact who leads the project now
                dueDays: 2
                assignee: csm
              - title: Meet the new champion
                dueDays: 5
                assignee: csm
            cooldownDays: 90
            controlPercent: 10
            """;

    private final PlaybookManagement playbooks;
    private final UserDirectory users;

    PlaybookPages(PlaybookManagement playbooks, UserDirectory users) {
        this.playbooks = playbooks;
        this.users = users;
    }

    /** A row of the history: the version and the one its diff link compares it with, if any. */
    record HistoryEntry(DocumentVersion version, Integer diffFrom) {}

    @GetMapping
    String list(Authentication authentication, Model model) {
        List<PlaybookSummary> list = playbooks.list();
        List<String> installed = list.stream().map(PlaybookSummary::name).toList();
        model.addAttribute("activeNav", "playbooks");
        model.addAttribute("playbooks", list);
        model.addAttribute(
                "notInstalled",
                playbooks.shipped().keySet().stream()
                        .filter(name -> !installed.contains(name))
                        .toList());
        model.addAttribute("mayEdit", playbooks.mayEdit(users.signedIn(authentication)));
        return LIST;
    }

    @PostMapping("/shipped/install")
    String install(Authentication authentication, RedirectAttributes redirect) {
        try {
            redirect.addFlashAttribute("installed", playbooks.installShipped(null, users.signedIn(authentication)));
        } catch (AccessDeniedException e) {
            redirect.addFlashAttribute("refusal", List.of(e.getMessage()));
        }
        return "redirect:/playbooks";
    }

    @GetMapping("/new")
    String newPlaybook(Authentication authentication, Model model) {
        return editor(null, TEMPLATE, authentication, model);
    }

    /** Saves the first draft of a new playbook, named by its document. */
    @PostMapping
    String create(
            @RequestParam(defaultValue = "") String yaml,
            Authentication authentication,
            Model model,
            RedirectAttributes redirect,
            HttpServletResponse response) {
        String text = lineEnds(yaml);
        String name = nameOf(text);
        if (name != null && exists(name)) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute(
                    "refusal", List.of("name: a playbook named '" + name + "' exists; open it to change it"));
            return editor(null, text, authentication, model);
        }
        if (name == null) {
            // The check beside the editor says why: the document cannot be read, or it has no name.
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            return editor(null, text, authentication, model);
        }
        try {
            DocumentText<PlaybookProblem> saved = playbooks.saveDraft(name, text, users.signedIn(authentication));
            redirect.addFlashAttribute("saved", saved.version());
            return "redirect:" + path(name);
        } catch (InvalidInputException | AccessDeniedException e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("refusal", messages(e));
            return editor(null, text, authentication, model);
        }
    }

    @GetMapping("/{name}")
    String playbook(
            @PathVariable String name,
            @RequestParam(required = false) Integer version,
            Authentication authentication,
            Model model) {
        List<DocumentVersion> versions = playbooks.versions(name);
        DocumentText<PlaybookProblem> shown =
                playbooks.version(name, version == null ? versions.get(0).version() : version);
        Integer published = versions.stream()
                .filter(v -> v.status() == DocumentVersion.Status.PUBLISHED)
                .map(DocumentVersion::version)
                .findFirst()
                .orElse(null);
        model.addAttribute("shown", shown);
        model.addAttribute("publishedVersion", published);
        model.addAttribute(
                "on", playbooks.list().stream().anyMatch(p -> p.name().equals(name) && p.on()));
        model.addAttribute(
                "history",
                versions.stream()
                        .map(v -> new HistoryEntry(
                                v,
                                v.version() > 1
                                        ? (published != null && v.version() > published ? published : v.version() - 1)
                                        : null))
                        .toList());
        model.addAttribute("report", playbooks.report(name));
        return editor(name, shown.yaml(), authentication, model);
    }

    /** Checks the editor's text as it would be saved under the playbook's name; answers the check panel. */
    @PostMapping("/check")
    String check(
            @RequestParam(required = false) String name, @RequestParam(defaultValue = "") String yaml, Model model) {
        model.addAttribute("check", validate(blank(name), lineEnds(yaml)));
        return PAGE + " :: check";
    }

    /** What the editor's text would do if it were on; answers the dry-run panel. */
    @PostMapping("/dry-run")
    String dryRun(
            @RequestParam(required = false) String name, @RequestParam(defaultValue = "") String yaml, Model model) {
        try {
            model.addAttribute("dryRun", playbooks.dryRun(blank(name), lineEnds(yaml)));
        } catch (InvalidInputException e) {
            model.addAttribute("dryRunRefusal", messages(e));
        }
        return PAGE + " :: dry-run";
    }

    @PostMapping("/{name}/versions")
    String saveDraft(
            @PathVariable String name,
            @RequestParam(defaultValue = "") String yaml,
            Authentication authentication,
            RedirectAttributes redirect) {
        try {
            DocumentText<PlaybookProblem> saved =
                    playbooks.saveDraft(name, lineEnds(yaml), users.signedIn(authentication));
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
            redirect.addFlashAttribute("published", playbooks.publish(name, version, users.signedIn(authentication)));
        } catch (InvalidInputException | AccessDeniedException e) {
            redirect.addFlashAttribute("refusedVersion", version);
            redirect.addFlashAttribute("refusal", messages(e));
        }
        return "redirect:" + path(name);
    }

    @PostMapping("/{name}/retire")
    String retire(@PathVariable String name, Authentication authentication, RedirectAttributes redirect) {
        try {
            playbooks.retire(name, users.signedIn(authentication));
            redirect.addFlashAttribute("retired", true);
        } catch (AccessDeniedException e) {
            redirect.addFlashAttribute("refusal", List.of(e.getMessage()));
        }
        return "redirect:" + path(name);
    }

    @PostMapping("/{name}/run")
    String run(@PathVariable String name, Authentication authentication, RedirectAttributes redirect) {
        try {
            redirect.addFlashAttribute("ran", playbooks.runNow(name, users.signedIn(authentication)));
        } catch (AccessDeniedException | NotFoundException e) {
            redirect.addFlashAttribute("refusal", List.of(e.getMessage()));
        }
        return "redirect:" + path(name);
    }

    /** The diff panel for htmx; without htmx, the whole page with the diff in it. */
    @GetMapping("/{name}/diff")
    String diff(
            @PathVariable String name,
            @RequestParam int from,
            @RequestParam int to,
            @RequestHeader(value = "HX-Request", required = false) String htmx,
            Authentication authentication,
            Model model) {
        model.addAttribute("diffFrom", from);
        model.addAttribute("diffTo", to);
        model.addAttribute("diff", playbooks.diff(name, from, to).lines().toList());
        return htmx == null ? playbook(name, null, authentication, model) : PAGE + " :: diff";
    }

    private String editor(String name, String yaml, Authentication authentication, Model model) {
        User user = users.signedIn(authentication);
        model.addAttribute("activeNav", "playbooks");
        model.addAttribute("name", name);
        model.addAttribute("yaml", yaml);
        model.addAttribute("mayEdit", playbooks.mayEdit(user));
        model.addAttribute("check", validate(name, yaml));
        if (!model.containsAttribute("on")) {
            model.addAttribute("on", false);
        }
        return PAGE;
    }

    private PlaybookValidation validate(String name, String yaml) {
        try {
            return playbooks.validate(name, yaml);
        } catch (InvalidInputException e) {
            // Too long to read: said as a problem of the whole document.
            return new PlaybookValidation(
                    false,
                    e.errors().stream()
                            .map(error -> new PlaybookProblem(null, null, error.field(), error.reason()))
                            .toList());
        }
    }

    private boolean exists(String name) {
        try {
            playbooks.versions(name);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** The name a document gives itself, if it can be read. */
    private static String nameOf(String yaml) {
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
        return List.of(e.getMessage());
    }

    private static String path(String name) {
        return UriComponentsBuilder.fromPath("/playbooks/{name}")
                .buildAndExpand(name)
                .encode()
                .toUriString();
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** Browsers send a text area's lines ending in CRLF; keep the document's line ends as the API would get them. */
    private static String lineEnds(String yaml) {
        return yaml.replace("\r\n", "\n");
    }
}
