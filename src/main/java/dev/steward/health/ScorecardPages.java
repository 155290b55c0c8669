package dev.steward.health;

import dev.steward.core.ConflictException;
import dev.steward.core.DocumentText;
import dev.steward.core.DocumentVersion;
import dev.steward.core.InvalidInputException;
import dev.steward.health.engine.Color;
import dev.steward.health.engine.ScorecardCheck;
import dev.steward.health.engine.ScorecardForm;
import dev.steward.health.engine.ScorecardProblem;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The scorecards list and a scorecard's page: its YAML in an editor checked as it is typed, saving drafts, a preview
 * of what publishing a draft would change, publishing, and the version history with diffs and downloads.
 */
@Controller
@RequestMapping("/scorecards")
class ScorecardPages {

    private static final String LIST = "health/scorecards";
    private static final String PAGE = "health/scorecard";
    private static final String METHODOLOGY = "health/methodology";

    private static final String NEW = "health/new-scorecard";

    private final ScorecardManagement scorecards;
    private final ScorecardCreation creation;
    private final ScorecardCoverage coverage;
    private final UserDirectory authors;
    private final HealthScoring scoring;

    ScorecardPages(
            ScorecardManagement scorecards,
            ScorecardCreation creation,
            ScorecardCoverage coverage,
            UserDirectory authors,
            HealthScoring scoring) {
        this.scorecards = scorecards;
        this.creation = creation;
        this.coverage = coverage;
        this.authors = authors;
        this.scoring = scoring;
    }

    /** The new-scorecard form as typed, so that it is shown again with the problems beside its fields. */
    record CreateForm(String name, String appliesTo, String priority, String template, String copyOf, String asOf) {}

    /** One line of a unified diff and what it is, so that the page can colour additions and removals. */
    record DiffLine(String text, String kind) {

        static DiffLine of(String line) {
            String kind;
            if (line.startsWith("+++") || line.startsWith("---")) {
                kind = "file";
            } else if (line.startsWith("+")) {
                kind = "added";
            } else if (line.startsWith("-")) {
                kind = "removed";
            } else if (line.startsWith("@@")) {
                kind = "hunk";
            } else {
                kind = "context";
            }
            return new DiffLine(line, kind);
        }
    }

    /** A row of the history: the version and the one its diff link compares it with, if any. */
    record HistoryEntry(DocumentVersion version, Integer diffFrom) {}

    @GetMapping
    String list(Authentication authentication, Model model) {
        model.addAttribute("activeNav", "scorecards");
        model.addAttribute("scorecards", scorecards.list());
        UnassignedAccounts unassigned = coverage.unassigned();
        model.addAttribute("unassigned", unassigned);
        model.addAttribute("groupedBy", ScorecardCoverage.describe(unassigned.decidedBy()));
        model.addAttribute("mayCreate", scorecards.mayCreate(authors.signedIn(authentication)));
        return LIST;
    }

    /**
     * The form that creates a scorecard from a template, filled in from the link that led here (such as a group of
     * accounts no scorecard applies to).
     */
    @GetMapping("/new")
    String newScorecard(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String appliesTo,
            @RequestParam(required = false) String copyOf,
            Authentication authentication,
            Model model) {
        String template = copyOf == null ? NewScorecard.DATA : NewScorecard.COPY;
        return form(
                new CreateForm(
                        name,
                        appliesTo,
                        Integer.toString(creation.suggestedPriority()),
                        template,
                        copyOf,
                        creation.today().toString()),
                Map.of(),
                authentication,
                model);
    }

    @PostMapping("/new")
    String create(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String appliesTo,
            @RequestParam(defaultValue = "") String priority,
            @RequestParam(defaultValue = "") String template,
            @RequestParam(defaultValue = "") String copyOf,
            @RequestParam(defaultValue = "") String asOf,
            Authentication authentication,
            Model model,
            RedirectAttributes redirect,
            HttpServletResponse response) {
        CreateForm typed = new CreateForm(name, appliesTo, priority, template, copyOf, asOf);
        Map<String, String> errors = new LinkedHashMap<>();
        Integer priorityNumber = null;
        LocalDate asOfDay = null;
        try {
            priorityNumber = priority.isBlank() ? null : Integer.valueOf(priority.strip());
        } catch (NumberFormatException e) {
            errors.put("priority", "'" + priority + "' is not a whole number");
        }
        try {
            asOfDay = asOf.isBlank() ? null : LocalDate.parse(asOf.strip());
        } catch (DateTimeParseException e) {
            errors.put("asOf", "'" + asOf + "' is not a day (yyyy-mm-dd)");
        }
        if (errors.isEmpty()) {
            try {
                CreatedScorecard created = creation.create(
                        new NewScorecard(
                                name,
                                appliesTo,
                                priorityNumber,
                                template,
                                NewScorecard.COPY.equals(template) ? copyOf : null,
                                NewScorecard.DATA.equals(template) ? asOfDay : null),
                        authors.signedIn(authentication));
                redirect.addFlashAttribute("created", createdMessage(created));
                return "redirect:"
                        + UriComponentsBuilder.fromPath("/scorecards/{name}")
                                .buildAndExpand(created.draft().version().name())
                                .encode()
                                .toUriString();
            } catch (InvalidInputException refused) {
                refused.errors()
                        .forEach(e -> errors.merge(
                                e.field() == null ? "template" : e.field(), e.reason(), (a, b) -> a + "; " + b));
                response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            } catch (ConflictException taken) {
                errors.put("name", taken.getMessage());
                response.setStatus(HttpStatus.CONFLICT.value());
            }
        } else {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        }
        return form(typed, errors, authentication, model);
    }

    private String form(CreateForm form, Map<String, String> errors, Authentication authentication, Model model) {
        model.addAttribute("activeNav", "scorecards");
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("scorecards", scorecards.names());
        model.addAttribute("mayCreate", scorecards.mayCreate(authors.signedIn(authentication)));
        return NEW;
    }

    /** What the page of a new scorecard says first: what its draft was made from and what to do next. */
    private static String createdMessage(CreatedScorecard created) {
        CreatedScorecard.Template template = created.template();
        String from = switch (template.kind()) {
            case NewScorecard.COPY -> "as a copy of " + template.copiedFrom() + " version " + template.copiedVersion();
            case NewScorecard.BLANK -> "from the skeleton";
            default ->
                "from the data of " + template.accounts() + (template.accounts() == 1 ? " customer" : " customers")
                        + " as of " + template.asOf() + ": " + template.included()
                        + (template.included() == 1 ? " measure has" : " measures have") + " data, "
                        + (template.measures().size() - template.included())
                        + " left out (the comments at the top say which and why)";
        };
        return "Created scorecard " + created.draft().version().name() + " " + from
                + ". Version 1 is a draft: check it, preview it, then publish it.";
    }

    @GetMapping("/{name}")
    String scorecard(@PathVariable String name, Authentication authentication, Model model) {
        return page(name, authentication, model);
    }

    /** Checks the editor's text as it would be saved under this scorecard's name; answers the validation panel. */
    @PostMapping("/{name}/validate")
    String validate(@PathVariable String name, @RequestParam(defaultValue = "") String yaml, Model model) {
        model.addAttribute("validation", scorecards.validate(name, lineEnds(yaml)));
        return PAGE + " :: validation";
    }

    /** The form view of the editor's text: the numbers people change most, each where the YAML writes it. */
    @PostMapping("/{name}/form")
    String form(@PathVariable String name, @RequestParam(defaultValue = "") String yaml, Model model) {
        try {
            model.addAttribute("form", ScorecardForm.of(lineEnds(yaml)));
        } catch (InvalidInputException unreadable) {
            model.addAttribute("formRefusal", unreadable.errors());
        }
        return PAGE + " :: formView";
    }

    /**
     * The editor's text with one number of the form changed in place, everything else as it was; 422 naming the field
     * when the value is not a number.
     */
    @PostMapping(path = "/{name}/form/edit", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    ResponseEntity<?> editForm(
            @PathVariable String name,
            @RequestParam(defaultValue = "") String yaml,
            @RequestParam String field,
            @RequestParam(defaultValue = "") String value) {
        try {
            return ResponseEntity.ok(Map.of("yaml", ScorecardForm.set(lineEnds(yaml), field, value)));
        } catch (InvalidInputException refused) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    refused.errors().stream()
                            .map(e -> e.field() + ": " + e.reason())
                            .collect(Collectors.joining("; ")));
            problem.setProperty("errors", refused.errors());
            return ResponseEntity.status(HttpStatus.UNPROCESSABLE_CONTENT)
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(problem);
        }
    }

    @PostMapping("/{name}/versions")
    String saveDraft(
            @PathVariable String name,
            @RequestParam(defaultValue = "") String yaml,
            Authentication authentication,
            RedirectAttributes redirect) {
        DocumentText<ScorecardProblem> saved =
                scorecards.saveDraft(name, lineEnds(yaml), authors.signedIn(authentication));
        redirect.addFlashAttribute("saved", saved.version());
        redirect.addFlashAttribute("savedProblems", saved.problems().size());
        return "redirect:/scorecards/{name}";
    }

    /** Deletes a draft; back to the scorecard, or to the list when the scorecard went with its only draft. */
    @PostMapping("/{name}/versions/{version}/delete")
    String deleteDraft(
            @PathVariable String name,
            @PathVariable int version,
            Authentication authentication,
            RedirectAttributes redirect) {
        boolean kept = scorecards.deleteDraft(name, version, authors.signedIn(authentication));
        if (!kept) {
            redirect.addFlashAttribute(
                    "deleted", "Deleted scorecard " + name + ": its only version, a draft, was deleted.");
            return "redirect:/scorecards";
        }
        redirect.addFlashAttribute("deleted", "Deleted draft version " + version + ".");
        return "redirect:/scorecards/{name}";
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
            redirect.addFlashAttribute(
                    "published", scorecards.publish(name, version, authors.signedIn(authentication)));
            return "redirect:/scorecards/{name}";
        } catch (InvalidInputException refused) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("refusedVersion", version);
            model.addAttribute("refusal", refused.errors());
            return page(name, authentication, model);
        }
    }

    /**
     * What publishing the version would change on current data, for htmx: colors before and after and the accounts
     * that would change color. A version that cannot be scored answers with why. {@code confirm} answers the same
     * figures as the question asked before publishing.
     */
    @GetMapping("/{name}/versions/{version}/preview")
    String preview(
            @PathVariable String name,
            @PathVariable int version,
            @RequestParam(defaultValue = "false") boolean confirm,
            Model model) {
        model.addAttribute("name", name);
        try {
            ScorecardPreview preview = scoring.preview(name, version);
            model.addAttribute("preview", preview);
            model.addAttribute("colors", List.of(Color.RED, Color.YELLOW, Color.GREEN, Color.BLACK));
        } catch (InvalidInputException refused) {
            model.addAttribute("previewRefusal", refused.errors());
        }
        return PAGE + (confirm ? " :: confirmation" : " :: preview");
    }

    /** The diff panel for htmx; without it, the whole page with the diff in it. */
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
        model.addAttribute(
                "diff",
                scorecards.diff(name, from, to).lines().map(DiffLine::of).toList());
        return htmx == null ? page(name, authentication, model) : PAGE + " :: diff";
    }

    @GetMapping("/{name}/versions/{version}/yaml")
    ResponseEntity<String> download(@PathVariable String name, @PathVariable int version) {
        String filename = name + "-v" + version + ".yaml";
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(ScorecardController.YAML))
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename(filename, StandardCharsets.UTF_8)
                                .build()
                                .toString())
                .body(scorecards.version(name, version).yaml());
    }

    /** The version explained in plain language; a version that cannot be read shows its problems instead. */
    @GetMapping("/{name}/versions/{version}/methodology")
    String methodology(@PathVariable String name, @PathVariable int version, Model model) {
        ScorecardCheck check = scorecards.read(name, version);
        model.addAttribute("activeNav", "scorecards");
        model.addAttribute("name", name);
        model.addAttribute("version", version);
        if (check.isValid()) {
            model.addAttribute(
                    "methodology", Methodology.of(check.scorecard(), version, scorecards.usageMetricNames()));
        } else {
            model.addAttribute("problems", check.problems());
        }
        return METHODOLOGY;
    }

    /** The same explanation as a PDF to hand out; refused with the problems for a version that cannot be read. */
    @GetMapping("/{name}/versions/{version}/methodology.pdf")
    ResponseEntity<?> methodologyPdf(@PathVariable String name, @PathVariable int version) {
        ScorecardCheck check = scorecards.read(name, version);
        if (!check.isValid()) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    "Version " + version + " of scorecard " + name + " has problems, so it has no methodology");
            problem.setProperty("problems", check.problems());
            return ResponseEntity.status(HttpStatus.UNPROCESSABLE_CONTENT).body(problem);
        }
        Methodology methodology = Methodology.of(check.scorecard(), version, scorecards.usageMetricNames());
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_PDF)
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename(name + "-v" + version + "-methodology.pdf", StandardCharsets.UTF_8)
                                .build()
                                .toString())
                .body(MethodologyPdf.render(methodology));
    }

    private String page(String name, Authentication authentication, Model model) {
        List<DocumentVersion> versions = scorecards.versions(name);
        // The newest version is what an editor continues from: a draft newer than the published one, or that one.
        DocumentText<ScorecardProblem> shown =
                scorecards.version(name, versions.get(0).version());
        Integer published = versions.stream()
                .filter(v -> v.status() == DocumentVersion.Status.PUBLISHED)
                .map(DocumentVersion::version)
                .findFirst()
                .orElse(null);
        User user = authors.signedIn(authentication);
        model.addAttribute("activeNav", "scorecards");
        model.addAttribute("name", name);
        model.addAttribute("shown", shown);
        model.addAttribute(
                "validation", new ScorecardValidation(shown.problems().isEmpty(), shown.problems()));
        model.addAttribute("publishedVersion", published);
        model.addAttribute("mayEdit", scorecards.mayEdit(user));
        model.addAttribute(
                "history",
                versions.stream()
                        .map(v -> new HistoryEntry(v, diffFrom(v.version(), published)))
                        .toList());
        // Any two versions can be compared; by default the newest with the published one (or the one before it).
        int newest = versions.get(0).version();
        Integer from = diffFrom(newest, published);
        model.addAttribute(
                "compareFrom", model.getAttribute("diffFrom") != null ? model.getAttribute("diffFrom") : from);
        model.addAttribute("compareTo", model.getAttribute("diffTo") != null ? model.getAttribute("diffTo") : newest);
        return PAGE;
    }

    /** A version is compared with the published one; the published one, and any before it, with the one before. */
    private static Integer diffFrom(int version, Integer published) {
        if (published != null && version > published) {
            return published;
        }
        return version > 1 ? version - 1 : null;
    }

    /** Browsers send a text area's lines ending in CRLF; keep the document's line ends as the API would get them. */
    private static String lineEnds(String yaml) {
        return yaml.replace("\r\n", "\n");
    }
}
