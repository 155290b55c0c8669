package dev.steward.demo;

import dev.steward.activity.ActivityRecorder;
import dev.steward.activity.ChurnEvent;
import dev.steward.activity.ChurnEventInput;
import dev.steward.activity.Invoice;
import dev.steward.activity.InvoiceInput;
import dev.steward.activity.Meeting;
import dev.steward.activity.MeetingInput;
import dev.steward.activity.NoteInput;
import dev.steward.activity.SurveyResponse;
import dev.steward.activity.SurveyResponseInput;
import dev.steward.activity.Ticket;
import dev.steward.activity.TicketInput;
import dev.steward.core.BulkResult;
import dev.steward.core.BulkUpserts;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.ContactInput;
import dev.steward.customer.ContactManagement;
import dev.steward.customer.ContactRole;
import dev.steward.customer.ContractInput;
import dev.steward.customer.ContractManagement;
import dev.steward.customer.ContractStatus;
import dev.steward.customer.LifecycleStage;
import dev.steward.customer.OpportunityInput;
import dev.steward.customer.OpportunityManagement;
import dev.steward.customer.OpportunityType;
import dev.steward.demo.DemoHistory.Term;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserManagement;
import dev.steward.lifecycle.BooksOfBusiness;
import dev.steward.lifecycle.LifecycleManagement;
import dev.steward.usage.DailyUsage;
import dev.steward.usage.UsageRecorder;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Loads the demo company through the modules' public APIs: 10 CSMs, then accounts in chunks with their contacts,
 * contracts, opportunities, activity and daily usage. The next chunk is generated while the current one is written.
 */
@Service
class DemoLoader {

    static final String SOURCE = "demo";
    private static final int CHUNK = 500;
    private static final Logger log = LoggerFactory.getLogger(DemoLoader.class);

    private final UserManagement users;
    private final AccountManagement accounts;
    private final ContactManagement contacts;
    private final ContractManagement contracts;
    private final OpportunityManagement opportunities;
    private final ActivityRecorder activity;
    private final UsageRecorder usage;
    private final BooksOfBusiness books;
    private final LifecycleManagement lifecycle;
    private final Clock clock;

    DemoLoader(
            UserManagement users,
            AccountManagement accounts,
            ContactManagement contacts,
            ContractManagement contracts,
            OpportunityManagement opportunities,
            ActivityRecorder activity,
            UsageRecorder usage,
            BooksOfBusiness books,
            LifecycleManagement lifecycle,
            Clock clock) {
        this.users = users;
        this.accounts = accounts;
        this.contacts = contacts;
        this.contracts = contracts;
        this.opportunities = opportunities;
        this.activity = activity;
        this.usage = usage;
        this.books = books;
        this.lifecycle = lifecycle;
        this.clock = clock;
    }

    /** What a load wrote. */
    record Loaded(int accounts, long contacts, long contracts, long activities, long usageRows, long millis) {}

    /**
     * For benchmarks: loads a demo company of {@code count} accounts into an empty database, or keeps the accounts one
     * already holds (so that a large company is loaded once and measured many times), and says which it did.
     */
    void loadUnlessPresent(int count, long seed) {
        long existing = accounts.count();
        if (existing > 0) {
            System.out.printf("Reusing the %,d accounts already in this database%n", existing);
            return;
        }
        // Benchmarks log at WARN, and a 100,000-account load takes many minutes: say how far it got, on the console.
        System.out.printf(
                "Loading a demo company of %,d accounts (seed %d) into this empty database; progress every %,d"
                        + " accounts%n",
                count, seed, Math.max(1, Math.min(count / 10, 10_000)));
        Loaded loaded = load(count, seed, progress(count));
        System.out.printf(
                "Loaded %,d demo accounts (%,d activity facts, %,d daily usage values) in %.1f s%n",
                loaded.accounts(), loaded.activities(), loaded.usageRows(), loaded.millis() / 1000.0);
    }

    /**
     * Prints how many accounts are written, at every tenth of the load (and every 10,000 accounts), with the time so
     * far and the time a straight line says is left.
     */
    static IntConsumer progress(int count) {
        long started = System.nanoTime();
        int step = Math.max(1, Math.min(count / 10, 10_000));
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger(step);
        return written -> {
            int due = next.get();
            if ((written >= due || written == count) && next.compareAndSet(due, Math.min(count, written + step))) {
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf(
                        "  Demo company: %,d of %,d accounts written in %.0f s (about %.0f s left)%n",
                        written, count, seconds, seconds * (count - written) / Math.max(1, written));
            }
        };
    }

    Loaded load(int count, long seed) {
        return load(count, seed, written -> {});
    }

    /** Loads the demo company, telling {@code progress} how many accounts are written each time a chunk is. */
    Loaded load(int count, long seed, IntConsumer progress) {
        long started = System.currentTimeMillis();
        java.util.concurrent.atomic.AtomicInteger written = new java.util.concurrent.atomic.AtomicInteger();
        DemoCompany company = new DemoCompany(seed, LocalDate.now(clock));
        UUID[] owners = new UUID[DemoCompany.CSMS];
        for (int i = 0; i < DemoCompany.CSMS; i++) {
            User csm = users.createIfAbsent(DemoCompany.csmEmail(i), DemoCompany.csmName(i), Role.CSM);
            owners[i] = csm.id();
        }
        long[] totals = new long[4];
        // As many chunks written at once as there are cores: one writer leaves the database idle while it builds
        // the next statement, and chunks touch disjoint accounts.
        int writers = Math.max(2, Runtime.getRuntime().availableProcessors());
        ExecutorService writer = Executors.newFixedThreadPool(writers);
        try {
            java.util.ArrayDeque<CompletableFuture<Void>> writing = new java.util.ArrayDeque<>();
            for (int from = 0; from < count; from += CHUNK) {
                int to = Math.min(count, from + CHUNK);
                List<DemoHistory> chunk = IntStream.range(from, to)
                        .parallel()
                        .mapToObj(company::generate)
                        .toList();
                while (writing.size() >= writers) {
                    writing.removeFirst().join();
                }
                writing.addLast(CompletableFuture.runAsync(
                        () -> {
                            write(chunk, owners, company.today(), totals);
                            progress.accept(written.addAndGet(chunk.size()));
                        },
                        writer));
                if (to % 10_000 == 0 || to == count) {
                    log.info("Demo company: {} of {} accounts generated", to, count);
                }
            }
            writing.forEach(CompletableFuture::join);
        } finally {
            writer.shutdown();
        }
        publishBooks();
        return new Loaded(count, totals[0], totals[1], totals[2], totals[3], System.currentTimeMillis() - started);
    }

    /**
     * Two managers and the demo company's assignment rules (teams and territories by tier and region), published so
     * that owners follow territories; the tier-based owners the demo wrote mostly fit them already.
     */
    private void publishBooks() {
        User manager = users.createIfAbsent("manager1@steward.local", "Mia Lindqvist", Role.MANAGER);
        users.createIfAbsent("manager2@steward.local", "Noah Adeyemi", Role.MANAGER);
        if (books.rules().version() != null) {
            return;
        }
        String yaml;
        try {
            yaml = new org.springframework.core.io.ClassPathResource("demo/books-of-business.yaml")
                    .getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        var draft = books.saveDraft(yaml, manager);
        if (!draft.version().valid()) {
            throw new IllegalStateException("The demo's assignment rules are invalid: " + draft.problems());
        }
        books.publish(draft.version().version(), manager);
    }

    private void write(List<DemoHistory> chunk, UUID[] owners, LocalDate today, long[] totals) {
        inBatches(map(chunk, h -> List.of(account(h, owners))), batch -> accounts.upsert(SOURCE, batch, true));
        inBatches(map(chunk, DemoLoader::contacts), batch -> contacts.upsert(SOURCE, batch, true));
        inBatches(map(chunk, DemoLoader::contracts), batch -> contracts.upsert(SOURCE, batch, true));
        inBatches(map(chunk, h -> opportunities(h, today)), batch -> opportunities.upsert(SOURCE, batch, true));
        Map<String, AccountId> ids = accounts.resolve(
                SOURCE, chunk.stream().map(h -> h.profile().externalId()).toList());
        long facts = 0;
        facts += inBatches(map(chunk, DemoLoader::tickets), batch -> activity.upsertTickets(SOURCE, batch, true));
        facts += inBatches(map(chunk, DemoLoader::invoices), batch -> activity.upsertInvoices(SOURCE, batch, true));
        facts += inBatches(map(chunk, DemoLoader::meetings), batch -> activity.upsertMeetings(SOURCE, batch, true));
        facts += inBatches(
                map(chunk, DemoLoader::surveys), batch -> activity.upsertSurveyResponses(SOURCE, batch, true));
        facts += inBatches(map(chunk, DemoLoader::notes), batch -> activity.upsertNotes(SOURCE, batch, true));
        facts += inBatches(map(chunk, DemoLoader::churn), batch -> activity.upsertChurnEvents(SOURCE, batch, true));
        milestones(chunk, ids, today);
        long rows = usage.importDaily(chunk.stream().flatMap(h -> {
            AccountId id = ids.get(h.profile().externalId());
            return h.usage().stream().map(u -> new DailyUsage(id, u.day(), u.metric(), u.value()));
        }));
        synchronized (totals) {
            totals[0] += chunk.stream().mapToLong(h -> h.people().size()).sum();
            totals[1] += chunk.stream().mapToLong(h -> h.terms().size()).sum();
            totals[2] += facts;
            totals[3] += rows;
        }
    }

    /**
     * Onboarding milestones of the customers that started in the last year, as their CSM checked them off: each one
     * mostly done, some late (up to 40% past its due day), later ones done less often, none after today.
     */
    private void milestones(List<DemoHistory> chunk, Map<String, AccountId> ids, LocalDate today) {
        List<LifecycleManagement.ChecklistItem> checklist = lifecycle.checklist();
        if (checklist.isEmpty()) {
            return;
        }
        Map<String, List<LifecycleManagement.ImportedCompletion>> byCsm = new java.util.TreeMap<>();
        for (DemoHistory h : chunk) {
            AccountId id = ids.get(h.profile().externalId());
            if (id == null) {
                continue;
            }
            completions(h, checklist, today)
                    .forEach((key, done) -> byCsm.computeIfAbsent(
                                    DemoCompany.csmName(h.profile().ownerIndex()), k -> new ArrayList<>())
                            .add(new LifecycleManagement.ImportedCompletion(id.value(), key, done, null)));
        }
        byCsm.forEach((csm, completions) -> lifecycle.importCompletions(completions, csm));
    }

    /** The milestones a customer that started in the last year checked off, by key, with their days, in order. */
    private static Map<String, LocalDate> completions(
            DemoHistory h, List<LifecycleManagement.ChecklistItem> checklist, LocalDate today) {
        Map<String, LocalDate> done = new java.util.LinkedHashMap<>();
        LocalDate start = h.profile().customerSince();
        if (start == null || start.isBefore(today.minusDays(365)) || start.isAfter(today)) {
            return done;
        }
        java.util.Random random = new java.util.Random(h.profile().externalId().hashCode());
        for (int i = 0; i < checklist.size(); i++) {
            LifecycleManagement.ChecklistItem item = checklist.get(i);
            if (random.nextDouble() > 0.95 - 0.1 * i) {
                break;
            }
            LocalDate day = start.plusDays(Math.round(item.dueDays() * (0.5 + 0.9 * random.nextDouble())));
            if (day.isAfter(today)) {
                break;
            }
            done.put(item.key(), day);
        }
        return done;
    }

    /**
     * The demo company's stage history up to today, as the shipped journey's rules on its contracts, churn and
     * milestones would have put it (Growth and At risk read daily health, so the history has neither: today's
     * evaluation moves accounts there), imported so that the journey's flow and times in stage reach back two years
     * instead of starting on the day the demo was loaded. Answers the stays imported. Only on the first start: the
     * benchmarks measure stage decisions on empty tables.
     */
    int importStageHistory(int count, long seed) {
        List<LifecycleManagement.ChecklistItem> checklist = lifecycle.checklist();
        if (checklist.isEmpty()) {
            return 0;
        }
        DemoCompany company = new DemoCompany(seed, LocalDate.now(clock));
        LocalDate today = company.today();
        int imported = 0;
        for (int from = 0; from < count; from += CHUNK) {
            List<DemoHistory> chunk = IntStream.range(from, Math.min(count, from + CHUNK))
                    .parallel()
                    .mapToObj(company::generate)
                    .toList();
            Map<String, AccountId> ids = accounts.resolve(
                    SOURCE, chunk.stream().map(h -> h.profile().externalId()).toList());
            List<LifecycleManagement.ImportedStay> stays = new ArrayList<>();
            for (DemoHistory h : chunk) {
                AccountId id = ids.get(h.profile().externalId());
                if (id != null) {
                    stays.addAll(stays(id.value(), h, completions(h, checklist, today), checklist.size(), today));
                }
            }
            // The rules' stays recorded while the demo loaded follow the order its records were written in (an
            // account decided before its churn arrived): the reconstruction replaces them.
            imported += lifecycle.importHistory(stays, "Demo company", "reconstructed from the demo's contracts", true);
        }
        return imported;
    }

    /**
     * One account's stays day by day: Churned from its churn, else Renewal in the 120 days before a contract ends, else
     * Onboarding for 90 days from its first contract until every milestone is done, else Adoption.
     */
    static List<LifecycleManagement.ImportedStay> stays(
            UUID account, DemoHistory h, Map<String, LocalDate> done, int milestones, LocalDate today) {
        if (h.terms().isEmpty()) {
            return List.of();
        }
        LocalDate start =
                h.terms().stream().map(Term::start).min(LocalDate::compareTo).orElseThrow();
        LocalDate onboarded = start.plusDays(90);
        if (done.size() == milestones) {
            LocalDate last = done.values().stream().max(LocalDate::compareTo).orElseThrow();
            onboarded = last.isBefore(onboarded) ? last : onboarded;
        }
        LocalDate churned = h.churn() == null ? null : h.churn().churnedOn();
        List<LifecycleManagement.ImportedStay> stays = new ArrayList<>();
        String stage = null;
        LocalDate since = null;
        for (LocalDate day = start; !day.isAfter(today); day = day.plusDays(1)) {
            String now;
            if (churned != null && !day.isBefore(churned)) {
                now = "churned";
            } else if (renewing(h.terms(), day)) {
                now = "renewal";
            } else if (day.isBefore(onboarded)) {
                now = "onboarding";
            } else {
                now = "adoption";
            }
            if (!now.equals(stage)) {
                if (stage != null) {
                    stays.add(new LifecycleManagement.ImportedStay(account, stage, since, day));
                }
                stage = now;
                since = day;
            }
        }
        stays.add(new LifecycleManagement.ImportedStay(account, stage, since, null));
        return stays;
    }

    /** Whether a contract in force on the day ends within 120 days of it. */
    private static boolean renewing(List<Term> terms, LocalDate day) {
        for (Term term : terms) {
            if (!day.isBefore(term.start())
                    && day.isBefore(term.end())
                    && !day.isBefore(term.end().minusDays(120))) {
                return true;
            }
        }
        return false;
    }

    /** Maps each history to records and writes them in batches the bulk API accepts. */
    private static <T> List<T> map(List<DemoHistory> chunk, Function<DemoHistory, List<T>> mapper) {
        List<T> all = new ArrayList<>();
        chunk.forEach(h -> all.addAll(mapper.apply(h)));
        return all;
    }

    /** Writes records in batches the bulk API accepts; the generator must never produce a record it refuses. */
    private static <T> int inBatches(List<T> records, Function<List<T>, BulkResult> upsert) {
        int written = 0;
        for (int from = 0; from < records.size(); from += BulkUpserts.MAX_RECORDS) {
            BulkResult result =
                    upsert.apply(records.subList(from, Math.min(records.size(), from + BulkUpserts.MAX_RECORDS)));
            if (result.rejected() > 0) {
                throw new IllegalStateException("The API refused demo records: " + result.errors());
            }
            written += result.received();
        }
        return written;
    }

    static AccountInput account(DemoHistory h, UUID[] owners) {
        DemoHistory.Profile p = h.profile();
        return new AccountInput(
                p.externalId(),
                p.name(),
                null,
                p.parentExternalId(),
                p.tier(),
                p.industry(),
                p.region(),
                p.employees(),
                owners[p.ownerIndex()],
                null,
                LifecycleStage.valueOf(p.lifecycleStage().toUpperCase()),
                Map.of(
                        "website",
                        "https://" + p.domain(),
                        "customerSince",
                        p.customerSince().toString()),
                Map.of());
    }

    private static List<ContactInput> contacts(DemoHistory h) {
        return h.people().stream()
                .map(p -> new ContactInput(
                        p.externalId(),
                        null,
                        h.profile().externalId(),
                        p.name(),
                        p.email(),
                        p.title(),
                        null,
                        ContactRole.valueOf(p.role().toUpperCase()),
                        p.joinedOn(),
                        p.leftOn()))
                .toList();
    }

    private static List<ContractInput> contracts(DemoHistory h) {
        return h.terms().stream()
                .map(t -> new ContractInput(
                        t.externalId(),
                        null,
                        h.profile().externalId(),
                        t.start(),
                        t.end(),
                        t.arr(),
                        t.seats(),
                        t.plan(),
                        ContractStatus.valueOf(t.status().toUpperCase()),
                        t.autoRenew(),
                        null,
                        t.previousExternalId()))
                .toList();
    }

    /** A renewal opportunity per contract end that is past or within 120 days, won or lost as it turned out. */
    private static List<OpportunityInput> opportunities(DemoHistory h, LocalDate today) {
        List<OpportunityInput> result = new ArrayList<>();
        List<Term> terms = h.terms();
        for (int i = 0; i < terms.size(); i++) {
            Term term = terms.get(i);
            if (term.end().isAfter(today.plusDays(120))) {
                continue;
            }
            boolean decided = !term.end().isAfter(today);
            boolean renewed = i + 1 < terms.size();
            String stage = !decided ? "negotiation" : renewed ? "closed_won" : "closed_lost";
            Term next = renewed ? terms.get(i + 1) : term;
            result.add(new OpportunityInput(
                    term.externalId() + "-R",
                    null,
                    h.profile().externalId(),
                    "Renewal " + term.end().getYear(),
                    OpportunityType.RENEWAL,
                    next.arr(),
                    stage,
                    term.end(),
                    term.end().minusDays(120).atStartOfDay().toInstant(ZoneOffset.UTC)));
            if (renewed && next.seats() > term.seats()) {
                result.add(new OpportunityInput(
                        term.externalId() + "-E",
                        null,
                        h.profile().externalId(),
                        "Expansion to " + next.seats() + " seats",
                        OpportunityType.EXPANSION,
                        next.arr().subtract(term.arr()),
                        "closed_won",
                        term.end(),
                        term.end().minusDays(90).atStartOfDay().toInstant(ZoneOffset.UTC)));
            }
        }
        return result;
    }

    private static List<TicketInput> tickets(DemoHistory h) {
        return h.tickets().stream()
                .map(t -> new TicketInput(
                        t.externalId(),
                        null,
                        h.profile().externalId(),
                        t.openedAt(),
                        t.firstResponseAt(),
                        t.resolvedAt(),
                        t.subject(),
                        Ticket.Priority.valueOf(t.priority()),
                        Ticket.Status.valueOf(t.status()),
                        t.escalated(),
                        t.csat()))
                .toList();
    }

    private static List<InvoiceInput> invoices(DemoHistory h) {
        return h.invoices().stream()
                .map(i -> new InvoiceInput(
                        i.externalId(),
                        null,
                        h.profile().externalId(),
                        i.issuedOn(),
                        i.dueOn(),
                        i.paidOn(),
                        i.amount(),
                        "USD",
                        Invoice.Status.valueOf(i.status())))
                .toList();
    }

    private static List<MeetingInput> meetings(DemoHistory h) {
        return h.meetings().stream()
                .map(m -> new MeetingInput(
                        m.externalId(),
                        null,
                        h.profile().externalId(),
                        m.occurredAt(),
                        Meeting.Type.valueOf(m.type()),
                        m.title(),
                        m.attendees(),
                        m.executiveSponsorAttended(),
                        null))
                .toList();
    }

    private static List<SurveyResponseInput> surveys(DemoHistory h) {
        return h.surveys().stream()
                .map(s -> new SurveyResponseInput(
                        s.externalId(),
                        null,
                        h.profile().externalId(),
                        s.respondedAt(),
                        SurveyResponse.Kind.valueOf(s.kind()),
                        s.score(),
                        s.comment(),
                        s.email()))
                .toList();
    }

    private static List<NoteInput> notes(DemoHistory h) {
        return h.notes().stream()
                .map(n -> new NoteInput(n.externalId(), null, h.profile().externalId(), null, n.writtenAt(), n.body()))
                .toList();
    }

    private static List<ChurnEventInput> churn(DemoHistory h) {
        DemoHistory.Churn c = h.churn();
        return c == null
                ? List.of()
                : List.of(new ChurnEventInput(
                        c.externalId(),
                        null,
                        h.profile().externalId(),
                        c.churnedOn(),
                        ChurnEvent.ReasonCategory.valueOf(c.reasonCategory()),
                        c.reason(),
                        c.arrLost()));
    }
}
