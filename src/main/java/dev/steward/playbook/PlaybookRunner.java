package dev.steward.playbook;

import dev.steward.core.Conditions;
import dev.steward.core.Ids;
import dev.steward.core.JobChanged;
import dev.steward.customer.Account;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import dev.steward.lifecycle.AccountConditions;
import dev.steward.lifecycle.BooksOfBusiness;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Turns a playbook's trigger firing for accounts into CTAs: the playbook's {@code when} condition picks the accounts it
 * applies to, an account that already has an open CTA of the playbook or had one within its cooldown gets none, a
 * stated share is held back as the control group (recorded as such), and the rest get a CTA with an owner, a priority,
 * a due time under the SLA and the playbook's tasks. Each fact fires a playbook once per account, however often it is
 * seen and by however many instances ({@code playbook_firing}).
 */
@Component
class PlaybookRunner {

    private static final Logger log = LoggerFactory.getLogger(PlaybookRunner.class);

    /** ARR at or above which an automatic priority is one level higher, unless the playbook says otherwise. */
    static final BigDecimal RAISE_ABOVE_ARR = BigDecimal.valueOf(100_000);

    /** Accounts decided in one transaction. */
    static final int BATCH = 500;

    private final AccountConditions conditions;
    private final AccountManagement accounts;
    private final BooksOfBusiness books;
    private final UserDirectory users;
    private final Ctas ctas;
    private final CtaNotices notices;
    private final Calendars calendars;
    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    PlaybookRunner(
            AccountConditions conditions,
            AccountManagement accounts,
            BooksOfBusiness books,
            UserDirectory users,
            Ctas ctas,
            CtaNotices notices,
            Calendars calendars,
            JdbcClient jdbc,
            ObjectMapper json,
            TransactionTemplate transactions,
            ApplicationEventPublisher events,
            Clock clock) {
        this.conditions = conditions;
        this.accounts = accounts;
        this.books = books;
        this.users = users;
        this.ctas = ctas;
        this.notices = notices;
        this.calendars = calendars;
        this.jdbc = jdbc;
        this.json = json;
        this.transactions = transactions;
        this.events = events;
        this.clock = clock;
    }

    /**
     * A fact that fires the playbook for an account: its key (the same fact seen again has the same key), what it says
     * for people, and the account's score and color when it happened ({@code null} when not known).
     */
    record Candidate(UUID account, String factKey, String fact, Double score, String color) {}

    /** What firing did: candidates considered, CTAs made, held back as control, skipped (open CTA, cooldown, the condition), failed. */
    record Fired(int considered, int ctas, int control, int skipped, int failed, List<String> failures) {

        static final Fired NONE = new Fired(0, 0, 0, 0, 0, List.of());

        Fired plus(Fired other) {
            List<String> all = new ArrayList<>(failures);
            all.addAll(other.failures);
            return new Fired(
                    considered + other.considered,
                    ctas + other.ctas,
                    control + other.control,
                    skipped + other.skipped,
                    failed + other.failed,
                    all.size() > 20 ? all.subList(0, 20) : all);
        }
    }

    /** What a firing would do for one account. */
    record Planned(
            Candidate candidate,
            Account account,
            String result,
            String reason,
            UUID owner,
            Priority priority,
            Instant dueAt,
            List<Ctas.NewTask> tasks) {}

    /** Fires the playbook for the candidates, a batch per transaction; one account's failure does not stop the rest. */
    Fired fire(Playbooks.Active playbook, List<Candidate> candidates) {
        Fired total = Fired.NONE;
        for (int from = 0; from < candidates.size(); from += BATCH) {
            List<Candidate> batch = candidates.subList(from, Math.min(candidates.size(), from + BATCH));
            total = total.plus(transactions.execute(status -> fireBatch(playbook, batch)));
        }
        if (total.ctas() + total.control() + total.failed() > 0) {
            log.info(
                    "Playbook {} fired for {} accounts: {} CTAs, {} control, {} skipped, {} failed",
                    playbook.name(),
                    total.considered(),
                    total.ctas(),
                    total.control(),
                    total.skipped(),
                    total.failed());
            Fired fired = total;
            transactions.executeWithoutResult(status -> events.publishEvent(new JobChanged(
                    "PLAYBOOK",
                    "/playbooks/" + playbook.name(),
                    fired.failed() > 0 ? 207 : 200,
                    "fired for " + fired.considered() + " accounts: " + fired.ctas() + " CTAs opened, "
                            + fired.control() + " held back as control, " + fired.skipped() + " skipped, "
                            + fired.failed() + " failed")));
        }
        return total;
    }

    private Fired fireBatch(Playbooks.Active playbook, List<Candidate> batch) {
        // Serializes firings of one playbook across instances, so that the cooldown read below sees every firing.
        jdbc.sql("select pg_advisory_xact_lock(hashtext('playbook ' || ?))")
                .param(playbook.id().toString())
                .query()
                .singleValue();
        List<Candidate> fresh = unseen(playbook.id(), batch);
        Instant at = clock.instant();
        List<Planned> plan = plan(playbook, fresh, at);
        int made = 0;
        int control = 0;
        int failed = 0;
        List<String> failures = new ArrayList<>();
        for (Planned planned : plan) {
            String result = planned.result();
            UUID cta = null;
            if (result.equals("cta")) {
                cta = ctas.insert(newCta(playbook, planned, at), "playbook " + playbook.name())
                        .orElse(null);
                if (cta == null) {
                    result = "open";
                } else {
                    made++;
                    notices.created(cta, planned.owner(), planned.account().name(), title(playbook, planned.account()));
                }
            } else if (result.equals("control")) {
                control++;
            } else if (result.equals("failed")) {
                failed++;
                failures.add(
                        planned.account() == null
                                ? planned.candidate().account() + ": " + planned.reason()
                                : planned.account().name() + ": " + planned.reason());
            }
            if (planned.reason() != null && planned.reason().equals("condition")) {
                continue;
            }
            recordFiring(playbook, planned, result, cta, at);
        }
        return new Fired(batch.size(), made, control, batch.size() - made - control - failed, failed, failures);
    }

    /** The candidates whose fact has not fired the playbook for their account before. */
    private List<Candidate> unseen(UUID playbook, List<Candidate> batch) {
        if (playbook == null) {
            return batch;
        }
        Set<String> seen = new HashSet<>();
        // Only the batch's facts: an account that a condition held for every day has a firing for each day.
        jdbc.sql("""
                        select account_id, fact_key from playbook_firing
                         where playbook_id = ? and account_id = any(?) and fact_key = any(?)""")
                .params(
                        playbook,
                        batch.stream().map(Candidate::account).distinct().toArray(UUID[]::new),
                        batch.stream().map(Candidate::factKey).distinct().toArray(String[]::new))
                .query(rs -> {
                    seen.add(rs.getObject(1, UUID.class) + " " + rs.getString(2));
                });
        Set<String> now = new HashSet<>();
        return batch.stream()
                .filter(c -> !seen.contains(c.account() + " " + c.factKey()))
                .filter(c -> now.add(c.account() + " " + c.factKey()))
                .toList();
    }

    /**
     * Of these accounts, those each playbook has fired for with the fact given for it (by playbook id), whatever came
     * of it: the runner would leave them out as seen.
     */
    Map<UUID, Set<UUID>> fired(Map<UUID, String> facts, List<UUID> accounts) {
        Map<UUID, Set<UUID>> fired = new HashMap<>();
        facts.keySet().forEach(playbook -> fired.put(playbook, new HashSet<>()));
        if (facts.isEmpty() || accounts.isEmpty()) {
            return fired;
        }
        jdbc.sql("""
                        select playbook_id, account_id, fact_key from playbook_firing
                         where playbook_id = any(?) and account_id = any(?) and fact_key = any(?)""")
                .params(
                        facts.keySet().toArray(UUID[]::new),
                        accounts.toArray(UUID[]::new),
                        facts.values().stream().distinct().toArray(String[]::new))
                .query(rs -> {
                    UUID playbook = rs.getObject(1, UUID.class);
                    if (rs.getString(3).equals(facts.get(playbook))) {
                        fired.get(playbook).add(rs.getObject(2, UUID.class));
                    }
                });
        return fired;
    }

    /**
     * Of these accounts, those each playbook could make no CTA for whatever today's fact: an open CTA of the playbook,
     * or a CTA or control hold within its cooldown (by playbook id). A condition holds day after day and a schedule
     * comes back every period: for these accounts their facts are left out without a trace rather than recorded as
     * skipped every day.
     */
    Map<UUID, Set<UUID>> held(List<Playbooks.Active> playbooks, List<UUID> accounts, Instant at) {
        Map<UUID, Set<UUID>> held = new HashMap<>();
        Map<UUID, Instant> cooledFrom = new HashMap<>();
        playbooks.forEach(p -> {
            held.put(p.id(), new HashSet<>());
            if (p.document().cooldownDays() > 0) {
                cooledFrom.put(p.id(), at.minus(p.document().cooldownDays(), ChronoUnit.DAYS));
            }
        });
        if (playbooks.isEmpty() || accounts.isEmpty()) {
            return held;
        }
        UUID[] ids = playbooks.stream().map(Playbooks.Active::id).toArray(UUID[]::new);
        UUID[] accountIds = accounts.toArray(UUID[]::new);
        jdbc.sql("""
                        select playbook_id, account_id from cta
                         where playbook_id = any(?) and status <> 'closed' and account_id = any(?)""").params(ids, accountIds).query(rs -> {
            held.get(rs.getObject(1, UUID.class)).add(rs.getObject(2, UUID.class));
        });
        if (!cooledFrom.isEmpty()) {
            jdbc.sql("""
                            select playbook_id, account_id, max(at) from playbook_firing
                             where playbook_id = any(?) and result in ('cta', 'control') and account_id = any(?)
                             group by playbook_id, account_id""")
                    .params(cooledFrom.keySet().toArray(UUID[]::new), accountIds)
                    .query(rs -> {
                        UUID playbook = rs.getObject(1, UUID.class);
                        if (rs.getTimestamp(3).toInstant().isAfter(cooledFrom.get(playbook))) {
                            held.get(playbook).add(rs.getObject(2, UUID.class));
                        }
                    });
        }
        return held;
    }

    /**
     * Whether the {@code when} condition's outcome for an account leaves it out without a trace: it does not hold, or
     * it could not be decided for want of a value (a key the account lacks). Any other error is a failure, recorded.
     */
    static boolean leavesOut(Conditions.Outcome when) {
        return !failed(when) && (when == null || !when.holds());
    }

    /** Whether the {@code when} condition failed on the account for another reason than a value it lacks. */
    static boolean failed(Conditions.Outcome when) {
        return when != null && when.error() != null && !when.error().contains("key");
    }

    /**
     * What firing would do for each candidate, without writing: skipped where the {@code when} condition does not hold
     * (reason {@code condition}), the account is gone or churned, it has an open CTA of the playbook ({@code open}) or
     * had one within the cooldown ({@code cooldown}); held back as {@code control}; or a {@code cta} with its owner,
     * priority, due time and tasks.
     */
    List<Planned> plan(Playbooks.Active playbook, List<Candidate> candidates, Instant at) {
        if (candidates.isEmpty()) {
            return List.of();
        }
        PlaybookDocument document = playbook.document();
        LocalDate today = LocalDate.now(clock);
        List<UUID> ids = candidates.stream().map(Candidate::account).distinct().toList();
        Map<UUID, Conditions.Outcome> outcomes =
                playbook.when() == null ? null : conditions.outcomes(playbook.when(), document.when(), ids, today);
        Map<UUID, Account> found = new HashMap<>();
        accounts.findAll(ids.stream().map(AccountId::new).toList()).forEach(a -> found.put(a.id().value(), a));
        Set<UUID> open = playbook.id() == null ? Set.of() : ctas.openFor(playbook.id(), ids);
        Map<UUID, Instant> lastFired = playbook.id() == null ? Map.of() : lastFired(playbook.id(), ids);
        Map<UUID, UUID> managers = books.managers();
        WorkingCalendar calendar = calendars.current();
        Instant cooledFrom = at.minus(document.cooldownDays(), ChronoUnit.DAYS);
        List<Planned> plan = new ArrayList<>();
        Set<UUID> planned = new HashSet<>();
        for (Candidate candidate : candidates) {
            UUID id = candidate.account();
            Account account = found.get(id);
            if (account == null || account.churn() != null) {
                continue;
            }
            if (outcomes != null) {
                Conditions.Outcome outcome = outcomes.get(id);
                if (failed(outcome)) {
                    plan.add(new Planned(candidate, account, "failed", outcome.error(), null, null, null, List.of()));
                    continue;
                }
                if (leavesOut(outcome)) {
                    plan.add(new Planned(candidate, account, "skipped", "condition", null, null, null, List.of()));
                    continue;
                }
            }
            if (open.contains(id) || !planned.add(id)) {
                plan.add(new Planned(candidate, account, "open", "an open CTA", null, null, null, List.of()));
                continue;
            }
            Instant last = lastFired.get(id);
            if (last != null && document.cooldownDays() > 0 && last.isAfter(cooledFrom)) {
                plan.add(new Planned(candidate, account, "cooldown", "fired on " + last, null, null, null, List.of()));
                continue;
            }
            if (inControlGroup(playbook, candidate, document.controlPercent())) {
                plan.add(new Planned(candidate, account, "control", null, null, null, null, List.of()));
                continue;
            }
            UUID csm = account.ownerId();
            UUID manager = csm == null ? null : managers.get(csm);
            UUID owner = "manager".equals(document.cta().owner()) && manager != null ? manager : csm;
            List<Ctas.NewTask> tasks = new ArrayList<>();
            for (PlaybookDocument.Task task : document.tasks()) {
                UUID assignee = switch (task.assignee()) {
                    case "manager" -> manager;
                    case "executive_sponsor" -> sponsor(account);
                    default -> csm;
                };
                tasks.add(new Ctas.NewTask(task.title(), task.assignee(), assignee, calendar.due(at, task.dueDays())));
            }
            plan.add(new Planned(
                    candidate,
                    account,
                    "cta",
                    null,
                    owner,
                    priority(document.cta(), account),
                    calendar.due(at, document.cta().slaDays()),
                    tasks));
        }
        return plan;
    }

    /** The priority a playbook gives: its own, or with {@code auto} the type's severity, one higher for a large ARR. */
    static Priority priority(PlaybookDocument.Template template, Account account) {
        if (!template.isAutomaticPriority()) {
            return Priority.of(template.priority());
        }
        BigDecimal threshold = template.raiseAboveArr() == null ? RAISE_ABOVE_ARR : template.raiseAboveArr();
        Priority severity = template.type().severity();
        return account.arr() != null && account.arr().compareTo(threshold) >= 0 ? severity.raised() : severity;
    }

    /**
     * Whether the account is held back from this firing as control: decided by a hash of the playbook, account and
     * fact, so that it is the same whichever instance decides and however often it is asked.
     */
    static boolean inControlGroup(Playbooks.Active playbook, Candidate candidate, int percent) {
        if (percent <= 0) {
            return false;
        }
        CRC32 crc = new CRC32();
        crc.update((playbook.name() + "|" + candidate.account() + "|" + candidate.factKey())
                .getBytes(StandardCharsets.UTF_8));
        return crc.getValue() % 100 < percent;
    }

    /** The account's executive sponsor: the user whose email its custom field {@code executive_sponsor} holds. */
    private UUID sponsor(Account account) {
        Object email =
                account.customFields() == null ? null : account.customFields().get("executive_sponsor");
        return email == null
                ? null
                : users.findByEmail(email.toString()).map(User::id).orElse(null);
    }

    static String title(Playbooks.Active playbook, Account account) {
        return playbook.document().cta().title().replace("{account}", account.name());
    }

    private Ctas.New newCta(Playbooks.Active playbook, Planned planned, Instant at) {
        PlaybookDocument document = playbook.document();
        Map<String, Object> cause = new LinkedHashMap<>();
        cause.put("trigger", document.trigger().type().value());
        cause.put("fact", planned.candidate().fact());
        cause.put("day", LocalDate.now(clock).toString());
        if (planned.candidate().score() != null) {
            cause.put("score", planned.candidate().score());
        }
        if (planned.candidate().color() != null) {
            cause.put("color", planned.candidate().color());
        }
        if (document.when() != null) {
            cause.put("when", document.when());
        }
        return new Ctas.New(
                planned.account().id().value(),
                playbook.id(),
                playbook.version(),
                document.cta().type(),
                title(playbook, planned.account()),
                planned.priority(),
                planned.owner(),
                at,
                planned.dueAt(),
                document.cta().slaDays(),
                cause,
                planned.tasks());
    }

    private void recordFiring(Playbooks.Active playbook, Planned planned, String result, UUID cta, Instant at) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("fact", planned.candidate().fact());
        if (planned.reason() != null) {
            detail.put("reason", planned.reason());
        }
        jdbc.sql("""
                        insert into playbook_firing (id, playbook_id, playbook_version, account_id, at, day, result,
                                                     cta_id, fact_key, score, detail)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                        on conflict (playbook_id, account_id, fact_key) do nothing""")
                .params(
                        Ids.newId(),
                        playbook.id(),
                        playbook.version(),
                        planned.candidate().account(),
                        Timestamp.from(at),
                        LocalDate.now(clock),
                        result,
                        cta,
                        planned.candidate().factKey(),
                        planned.candidate().score() != null
                                ? planned.candidate().score()
                                : planned.account() != null && planned.account().health() != null
                                        ? Double.valueOf(
                                                planned.account().health().score())
                                        : null,
                        json.writeValueAsString(detail))
                .update();
    }

    /** When the playbook last made a CTA for each account or held it back as control. */
    private Map<UUID, Instant> lastFired(UUID playbook, List<UUID> accounts) {
        Map<UUID, Instant> last = new HashMap<>();
        jdbc.sql("""
                        select account_id, max(at) from playbook_firing
                         where playbook_id = ? and result in ('cta', 'control') and account_id = any(?)
                         group by account_id""").params(playbook, accounts.toArray(UUID[]::new)).query(rs -> {
            last.put(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant());
        });
        return last;
    }
}
