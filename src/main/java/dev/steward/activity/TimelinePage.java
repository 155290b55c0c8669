package dev.steward.activity;

import dev.steward.core.InvalidInputException;
import dev.steward.core.Page;
import dev.steward.customer.AccountId;
import dev.steward.customer.Contact;
import dev.steward.customer.ContactManagement;
import dev.steward.customer.ContactQuery;
import dev.steward.customer.ContactRole;
import dev.steward.customer.Contract;
import dev.steward.customer.ContractManagement;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The account page's timeline: every fact about the account, newest first, filterable by kind and loaded a page at
 * a time. Activity facts, stage moves and owner changes are paged by {@link Timeline}; contract and contact events
 * from the customer module are merged into the same time range, so a page shows everything that happened between its
 * first and last entry. People who may edit record their sentiment about the account above it.
 */
@Controller
class TimelinePage {

    static final String CONTRACT = "contract";
    static final String CONTACT = "contact";
    private static final int PAGE_SIZE = 25;

    private final Timeline timeline;
    private final ActivityRecorder recorder;
    private final ContractManagement contracts;
    private final ContactManagement contacts;
    private final UserDirectory users;
    private final Clock clock;

    TimelinePage(
            Timeline timeline,
            ActivityRecorder recorder,
            ContractManagement contracts,
            ContactManagement contacts,
            UserDirectory users,
            Clock clock) {
        this.timeline = timeline;
        this.recorder = recorder;
        this.contracts = contracts;
        this.contacts = contacts;
        this.users = users;
        this.clock = clock;
    }

    @GetMapping("/accounts/{id}/timeline")
    String timeline(
            @PathVariable UUID id,
            @RequestParam(required = false) Set<String> kinds,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Instant before,
            Model model) {
        return render(id, kinds, cursor, before, model);
    }

    /**
     * Records the signed-in user's sentiment now and answers with the whole timeline, unfiltered, so the new entry
     * shows at the top. A refusal comes back with status 200 and the form's errors, because htmx swaps in only
     * successful responses and the errors belong next to the form.
     */
    @PostMapping("/accounts/{id}/sentiment")
    String recordSentiment(
            @PathVariable UUID id,
            @RequestParam(required = false) Integer score,
            @RequestParam(required = false) String reason,
            Authentication authentication,
            Model model) {
        // Principals without a user row (such as test users) record sentiment without an author.
        UUID author = users.findByEmail(authentication.getName()).map(User::id).orElse(null);
        try {
            recorder.recordSentiment(
                    new AccountId(id), new SentimentInput(null, null, null, author, clock.instant(), score, reason));
        } catch (InvalidInputException refused) {
            model.addAttribute("sentimentErrors", refused.errors());
            model.addAttribute("sentimentScore", score);
            model.addAttribute("sentimentReason", reason);
        }
        return render(id, null, null, null, model);
    }

    private String render(UUID id, Set<String> kinds, String cursor, Instant before, Model model) {
        AccountId account = new AccountId(id);
        Set<String> allKinds = new LinkedHashSet<>(timeline.kinds());
        allKinds.add(CONTRACT);
        allKinds.add(CONTACT);
        Set<String> chosen = kinds == null || kinds.isEmpty() ? allKinds : kinds;
        Set<String> activityKinds = new LinkedHashSet<>(chosen);
        activityKinds.retainAll(timeline.kinds());

        Page<TimelineEntry> page = activityKinds.isEmpty()
                ? new Page<>(List.of(), null)
                : timeline.forAccount(account, activityKinds, PAGE_SIZE, cursor);
        Instant upper = before == null ? Instant.MAX : before;
        Instant lower = page.next() == null
                ? Instant.MIN
                : page.items().get(page.items().size() - 1).at();
        List<TimelineEntry> entries = new ArrayList<>(page.items());
        customerEvents(account, chosen).stream()
                .filter(e -> !e.at().isBefore(lower) && e.at().isBefore(upper))
                .forEach(entries::add);
        entries.sort(Comparator.comparing(TimelineEntry::at).reversed());

        model.addAttribute("accountId", id);
        model.addAttribute("entries", entries);
        model.addAttribute("allKinds", allKinds);
        model.addAttribute("chosen", chosen);
        model.addAttribute("next", page.next());
        model.addAttribute("before", lower);
        model.addAttribute("firstPage", cursor == null);
        return "activity/timeline :: timeline";
    }

    /** Contract starts and ends, and people joining or leaving, as timeline entries. */
    private List<TimelineEntry> customerEvents(AccountId account, Set<String> chosen) {
        List<TimelineEntry> events = new ArrayList<>();
        LocalDate today = LocalDate.now(clock);
        if (chosen.contains(CONTRACT)) {
            for (Contract c : contracts.ofAccount(account)) {
                String terms = "$" + String.format("%,.0f", c.arr()) + " ARR"
                        + (c.seats() == null ? "" : ", " + c.seats() + " seats")
                        + (c.plan() == null ? "" : ", " + c.plan());
                events.add(new TimelineEntry(
                        CONTRACT,
                        c.id().value(),
                        startOf(c.startDate()),
                        c.previousContractId() == null ? "Contract started" : "Contract renewed",
                        terms));
                if (c.endDate() != null && !c.endDate().isAfter(today)) {
                    events.add(
                            new TimelineEntry(CONTRACT, c.id().value(), startOf(c.endDate()), "Contract ended", terms));
                }
            }
        }
        if (chosen.contains(CONTACT)) {
            for (Contact c : contacts.list(new ContactQuery(account.value(), null, null, 500, null))
                    .items()) {
                String role = c.role().name().toLowerCase().replace('_', ' ');
                if (c.joinedAt() != null && c.role() != ContactRole.END_USER) {
                    events.add(new TimelineEntry(
                            CONTACT,
                            c.id().value(),
                            startOf(c.joinedAt()),
                            capitalize(role) + " " + c.name() + " joined",
                            c.title()));
                }
                if (c.leftAt() != null) {
                    events.add(new TimelineEntry(
                            CONTACT,
                            c.id().value(),
                            startOf(c.leftAt()),
                            capitalize(role) + " " + c.name() + " left",
                            c.title()));
                }
            }
        }
        return events;
    }

    private static Instant startOf(LocalDate day) {
        return day.atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    private static String capitalize(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
