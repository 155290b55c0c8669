package dev.steward.lifecycle;

import dev.steward.core.DocumentText;
import dev.steward.core.DocumentVersion;
import dev.steward.core.InvalidInputException;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The Segments list (members and ARR of each) and a segment's page: its YAML in an editor that shows, as it is typed,
 * the problems (line and column) or how many accounts match on current data with their ARR and the largest of them;
 * saving drafts, publishing, the current members (of a static segment, changed from a CSV file) and the version
 * history with diffs.
 */
@Controller
@RequestMapping("/segments")
class SegmentPages {

    private static final String LIST = "lifecycle/segments";
    private static final String PAGE = "lifecycle/segment";

    /** What a new segment's editor starts with. */
    static final String TEMPLATE = """
            name: At-risk Enterprise
            description: Enterprise accounts whose health is Red or Yellow
            condition: |
              account.tier == "Enterprise" && health.color in ["red", "yellow"]
            """;

    private final SegmentManagement segments;
    private final UserDirectory authors;

    SegmentPages(SegmentManagement segments, UserDirectory authors) {
        this.segments = segments;
        this.authors = authors;
    }

    /** A row of the history: the version and the one its diff link compares it with, if any. */
    record HistoryEntry(DocumentVersion version, Integer diffFrom) {}

    @GetMapping
    String list(Authentication authentication, Model model) {
        model.addAttribute("activeNav", "segments");
        model.addAttribute("segments", segments.list());
        model.addAttribute("mayEdit", segments.mayEdit(authors.signedIn(authentication)));
        return LIST;
    }

    @GetMapping("/new")
    String newSegment(Authentication authentication, Model model) {
        return editor(null, TEMPLATE, authentication, model);
    }

    /** Saves the first draft of a new segment, named by its document. */
    @PostMapping
    String create(
            @RequestParam(defaultValue = "") String yaml,
            Authentication authentication,
            Model model,
            RedirectAttributes redirect,
            HttpServletResponse response) {
        String text = lineEnds(yaml);
        String name = nameOf(text);
        if (name == null) {
            // The editor shows why: the document cannot be read, or it has no name.
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            return editor(null, text, authentication, model);
        }
        DocumentText<SegmentProblem> saved = segments.saveDraft(name, text, authors.signedIn(authentication));
        redirect.addFlashAttribute("saved", saved.version());
        return "redirect:" + path(name);
    }

    @GetMapping("/{name}")
    String segment(@PathVariable String name, Authentication authentication, Model model) {
        List<DocumentVersion> versions = segments.versions(name);
        DocumentText<SegmentProblem> shown =
                segments.version(name, versions.get(0).version());
        return page(name, shown, versions, authentication, model);
    }

    /** Checks the editor's text and, when it is valid, previews it on current data; answers the preview panel. */
    @PostMapping("/preview")
    String preview(
            @RequestParam(required = false) String name, @RequestParam(defaultValue = "") String yaml, Model model) {
        model.addAttribute("preview", segments.preview(name == null || name.isBlank() ? null : name, lineEnds(yaml)));
        return PAGE + " :: preview";
    }

    @PostMapping("/{name}/versions")
    String saveDraft(
            @PathVariable String name,
            @RequestParam(defaultValue = "") String yaml,
            Authentication authentication,
            RedirectAttributes redirect) {
        DocumentText<SegmentProblem> saved = segments.saveDraft(name, lineEnds(yaml), authors.signedIn(authentication));
        redirect.addFlashAttribute("saved", saved.version());
        return "redirect:" + path(name);
    }

    @PostMapping("/{name}/versions/{version}/publish")
    String publish(
            @PathVariable String name,
            @PathVariable int version,
            Authentication authentication,
            Model model,
            RedirectAttributes redirect,
            HttpServletResponse response) {
        try {
            redirect.addFlashAttribute("published", segments.publish(name, version, authors.signedIn(authentication)));
            return "redirect:" + path(name);
        } catch (InvalidInputException refused) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("refusedVersion", version);
            model.addAttribute("refusal", refused.errors());
            return segment(name, authentication, model);
        }
    }

    /**
     * Adds or removes the accounts a CSV file names to or from a static segment; the page then says what changed, or
     * lists the rows that name no account (nothing changed then).
     */
    @PostMapping("/{name}/members/csv")
    String membersFromFile(
            @PathVariable String name,
            @RequestParam(required = false) MultipartFile file,
            @RequestParam(defaultValue = "add") String action,
            @RequestParam(required = false) String source,
            Authentication authentication,
            Model model,
            RedirectAttributes redirect,
            HttpServletResponse response)
            throws IOException {
        try {
            if (file == null || file.isEmpty()) {
                throw new InvalidInputException("file", "choose a CSV file to upload");
            }
            if (file.getSize() > SegmentMemberFile.MAXIMUM_BYTES) {
                throw SegmentMemberFile.tooLarge(file.getSize());
            }
            redirect.addFlashAttribute(
                    "membersChanged",
                    segments.changeMembers(name, action, source, file.getBytes(), authors.signedIn(authentication)));
            return "redirect:" + path(name);
        } catch (InvalidInputException refused) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("memberFileRefusal", refused.errors());
            return segment(name, authentication, model);
        }
    }

    /** The diff panel for htmx. */
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
        model.addAttribute("diff", segments.diff(name, from, to).lines().toList());
        return htmx == null ? segment(name, authentication, model) : PAGE + " :: diff";
    }

    private String page(
            String name,
            DocumentText<SegmentProblem> shown,
            List<DocumentVersion> versions,
            Authentication authentication,
            Model model) {
        Integer published = versions.stream()
                .filter(v -> v.status() == DocumentVersion.Status.PUBLISHED)
                .map(DocumentVersion::version)
                .findFirst()
                .orElse(null);
        model.addAttribute("shown", shown);
        model.addAttribute("publishedVersion", published);
        model.addAttribute(
                "history",
                versions.stream()
                        .map(v -> new HistoryEntry(
                                v,
                                v.version() > 1
                                        ? (published != null && v.version() > published ? published : v.version() - 1)
                                        : null))
                        .toList());
        if (published != null) {
            model.addAttribute("members", segments.members(name, null, 20));
            model.addAttribute("staticSegment", segments.isStatic(name));
        }
        return editor(name, shown.yaml(), authentication, model);
    }

    private String editor(String name, String yaml, Authentication authentication, Model model) {
        User user = authors.signedIn(authentication);
        model.addAttribute("activeNav", "segments");
        model.addAttribute("name", name);
        model.addAttribute("yaml", yaml);
        model.addAttribute("mayEdit", segments.mayEdit(user));
        if (!model.containsAttribute("preview")) {
            model.addAttribute("preview", segments.preview(name, yaml));
        }
        return PAGE;
    }

    /** The name a document gives itself, if it can be read. */
    private String nameOf(String yaml) {
        try {
            Object document = new org.yaml.snakeyaml.Yaml(
                            new org.yaml.snakeyaml.constructor.SafeConstructor(new org.yaml.snakeyaml.LoaderOptions()))
                    .load(yaml);
            if (document instanceof java.util.Map<?, ?> map && map.get("name") instanceof String name) {
                return name.isBlank() ? null : name;
            }
        } catch (RuntimeException e) {
            // Not YAML: the preview says where.
        }
        return null;
    }

    private static String path(String name) {
        return UriComponentsBuilder.fromPath("/segments/{name}")
                .buildAndExpand(name)
                .encode()
                .toUriString();
    }

    /** Browsers send a text area's lines ending in CRLF; keep the document's line ends as the API would get them. */
    private static String lineEnds(String yaml) {
        return yaml.replace("\r\n", "\n");
    }
}
