package dev.steward.playbook;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import dev.steward.core.DocumentText;
import dev.steward.core.DocumentVersion;
import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.core.VersionedDocuments;
import dev.steward.customer.Account;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.AccountSnapshots;
import dev.steward.health.HealthScoring;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import dev.steward.lifecycle.SegmentManagement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps playbooks as versioned YAML documents (drafts, publication, history, diffs), switches them on (publishing)
 * and off (retiring), runs a document dry on current data and replayed over the past year, and reports whether a
 * playbook works against its control group.
 */
@Service
public class PlaybookManagement {

    /** CTAs a dry run lists. */
    static final int SAMPLE = 50;

    private static final Set<Role> EDITORS = Set.of(Role.ADMIN, Role.MANAGER);

    private final Playbooks playbooks;
    private final Calendars calendars;
    private final PlaybookTriggers triggers;
    private final PlaybookRunner runner;
    private final SegmentManagement segments;
    private final AccountManagement accounts;
    private final AccountSnapshots snapshots;
    private final HealthScoring health;
    private final UserDirectory users;
    private final SchedulerClient jobs;
    private final OneTimeTask<PlaybookJobs.Published> published;
    private final JdbcClient jdbc;
    private final Clock clock;

    PlaybookManagement(
            Playbooks playbooks,
            Calendars calendars,
            PlaybookTriggers triggers,
            PlaybookRunner runner,
            SegmentManagement segments,
            AccountManagement accounts,
            AccountSnapshots snapshots,
            HealthScoring health,
            UserDirectory users,
            SchedulerClient jobs,
            OneTimeTask<PlaybookJobs.Published> published,
            JdbcClient jdbc,
            Clock clock) {
        this.playbooks = playbooks;
        this.calendars = calendars;
        this.triggers = triggers;
        this.runner = runner;
        this.segments = segments;
        this.accounts = accounts;
        this.snapshots = snapshots;
        this.health = health;
        this.users = users;
        this.jobs = jobs;
        this.published = published;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public boolean mayEdit(User user) {
        return EDITORS.contains(user.role());
    }

    public PlaybookValidation validate(String name, String yaml) {
        PlaybookDocuments.Check check = playbooks.reader().read(yaml, name);
        return new PlaybookValidation(check.isValid(), check.problems());
    }

    /** Saves the YAML, exactly as written, as the playbook's next version, a draft with its problems. */
    @Transactional
    public DocumentText<PlaybookProblem> saveDraft(String name, String yaml, User author) {
        requireEditor(author, "save");
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new InvalidInputException("name", "must be 1 to 100 characters");
        }
        PlaybookDocuments.Check check = playbooks.reader().read(yaml, name);
        VersionedDocuments<PlaybookProblem> documents = playbooks.documents();
        documents.create(name, clock.instant());
        UUID id = documents.lock(name).orElseThrow();
        int version = documents.insertVersion(
                id,
                yaml,
                DocumentVersion.Status.DRAFT,
                check.problems(),
                author.id(),
                author.displayName(),
                clock.instant());
        return version(name, version);
    }

    /**
     * Switches the version on, superseding the one before (and switching a retired playbook on again); a time-based
     * trigger is then evaluated on current data within seconds. Refused with every problem when the version is invalid.
     */
    @Transactional
    public DocumentVersion publish(String name, int version, User author) {
        requireEditor(author, "publish");
        VersionedDocuments<PlaybookProblem> documents = playbooks.documents();
        UUID id = documents.lock(name).orElseThrow(() -> new NotFoundException("playbook", name));
        DocumentText<PlaybookProblem> text = version(name, version);
        if (text.version().status() != DocumentVersion.Status.PUBLISHED) {
            PlaybookDocuments.Check check = playbooks.reader().read(text.yaml(), name);
            if (!check.isValid()) {
                throw refused(check.problems());
            }
            documents.publish(id, version, clock.instant());
        }
        playbooks.retire(id, null);
        jobs.scheduleIfNotExists(published.schedulableInstance(
                name + " v" + version + " " + clock.millis(), new PlaybookJobs.Published(name)));
        return version(name, version).version();
    }

    /** Switches the playbook off: it makes no more CTAs; those it made stay, and so does its history. */
    @Transactional
    public void retire(String name, User author) {
        requireEditor(author, "retire");
        UUID id = playbooks.documents().lock(name).orElseThrow(() -> new NotFoundException("playbook", name));
        playbooks.retire(id, clock.instant());
    }

    public List<PlaybookSummary> list() {
        Set<UUID> retired = playbooks.retired();
        Map<UUID, Long> open = new HashMap<>();
        jdbc.sql("select playbook_id, count(*) from cta where status <> 'closed' and playbook_id is not null"
                        + " group by playbook_id")
                .query(rs -> {
                    open.put(rs.getObject(1, UUID.class), rs.getLong(2));
                });
        PlaybookDocuments reader = playbooks.reader();
        List<PlaybookSummary> list = new ArrayList<>();
        for (VersionedDocuments.Listed listed : playbooks.documents().listed()) {
            int shown = listed.published() != null ? listed.published() : listed.newest();
            PlaybookDocument document =
                    reader.read(version(listed.name(), shown).yaml(), null).document();
            list.add(new PlaybookSummary(
                    listed.name(),
                    document == null ? "" : document.description(),
                    document == null ? "" : describe(document.trigger()),
                    document == null ? "" : document.cta().type().value(),
                    listed.published(),
                    listed.newest(),
                    listed.published() != null && !retired.contains(listed.id()),
                    open.getOrDefault(listed.id(), 0L)));
        }
        return list;
    }

    public List<DocumentVersion> versions(String name) {
        List<DocumentVersion> history = playbooks.documents().history(name);
        if (history.isEmpty()) {
            throw new NotFoundException("playbook", name);
        }
        return history;
    }

    public DocumentText<PlaybookProblem> version(String name, int version) {
        return playbooks
                .documents()
                .find(name, version)
                .orElseThrow(() -> new NotFoundException("Playbook " + name + " has no version " + version + "."));
    }

    public String diff(String name, int from, int to) {
        return VersionedDocuments.diff(name, version(name, from), version(name, to));
    }

    /**
     * Runs the published playbook now on current data, for real: what its dry run shows is done (for an event trigger,
     * the accounts that are where the event would have put them — of that color, in that stage or segment — as if it
     * had just happened). Answers what it did.
     */
    public Run runNow(String name, User author) {
        requireEditor(author, "run");
        Playbooks.Active active = playbooks.active().stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow(() ->
                        new NotFoundException("No playbook named " + name + " is on (published and not retired)."));
        Set<UUID> members = active.document().trigger().segment() == null
                ? Set.of()
                : segments.memberIds(active.document().trigger().segment()).orElse(Set.of());
        PlaybookRunner.Fired fired = runner.fire(active, triggers.current(active, members::contains));
        return new Run(
                fired.considered(), fired.ctas(), fired.control(), fired.skipped(), fired.failed(), fired.failures());
    }

    /** What running a playbook now did: accounts triggered, CTAs made, held back as control, skipped, failed (why). */
    public record Run(int triggered, int ctas, int control, int skipped, int failed, List<String> failures)
            implements java.io.Serializable {}

    // ---- Dry run ----

    /** What the document would do if it were on, without writing anything. */
    public DryRun dryRun(String name, String yaml) {
        PlaybookDocuments.Check check = playbooks.reader().read(yaml, name);
        if (!check.isValid()) {
            return new DryRun(false, check.problems(), null, 0, 0, 0, 0, 0, 0, 0, null, List.of(), List.of(), null);
        }
        Playbooks.Active draft = playbooks.compile(yaml);
        UUID existing = name == null ? null : playbooks.documents().id(name).orElse(null);
        Playbooks.Active active = new Playbooks.Active(existing, 0, draft.document(), draft.when(), draft.condition());
        Set<UUID> members = active.document().trigger().segment() == null
                ? Set.of()
                : segments.memberIds(active.document().trigger().segment()).orElse(Set.of());
        List<PlaybookRunner.Candidate> candidates = triggers.current(active, members::contains);
        List<PlaybookRunner.Planned> plan = runner.plan(active, candidates, clock.instant());
        Map<String, Integer> counts = new HashMap<>();
        plan.forEach(p -> counts.merge(p.result().equals("skipped") ? "condition" : p.result(), 1, Integer::sum));
        List<PlaybookRunner.Planned> made =
                plan.stream().filter(p -> p.result().equals("cta")).toList();
        Map<UUID, User> people = users.findAll(made.stream()
                .flatMap(p -> java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(p.owner()),
                        p.tasks().stream().map(Ctas.NewTask::assignee)))
                .filter(Objects::nonNull)
                .collect(Collectors.toSet()));
        Map<String, Integer> byOwner = new TreeMap<>();
        made.forEach(p -> byOwner.merge(name(people, p.owner()), 1, Integer::sum));
        List<DryRun.Planned> sample = made.stream()
                .sorted(Comparator.comparing(
                                (PlaybookRunner.Planned p) -> p.priority().ordinal())
                        .reversed()
                        .thenComparing(p -> p.account().name()))
                .limit(SAMPLE)
                .map(p -> new DryRun.Planned(
                        p.account().id().value(),
                        p.account().name(),
                        name(people, p.owner()),
                        p.priority().value(),
                        p.dueAt(),
                        p.candidate().fact(),
                        p.tasks().stream()
                                .map(t -> t.title() + " — " + name(people, t.assignee()))
                                .toList()))
                .toList();
        String firstFailure = plan.stream()
                .filter(p -> p.result().equals("failed"))
                .findFirst()
                .map(p -> p.account().name() + ": " + p.reason())
                .orElse(null);
        return new DryRun(
                true,
                List.of(),
                describe(active.document().trigger()),
                candidates.size(),
                made.size(),
                counts.getOrDefault("control", 0),
                counts.getOrDefault("open", 0),
                counts.getOrDefault("cooldown", 0),
                counts.getOrDefault("condition", 0),
                counts.getOrDefault("failed", 0),
                firstFailure,
                sample,
                byOwner.entrySet().stream()
                        .map(e -> new DryRun.OwnerCount(e.getKey(), e.getValue()))
                        .sorted(Comparator.comparing(DryRun.OwnerCount::ctas).reversed())
                        .toList(),
                replay(active));
    }

    /** A fact the replay saw: the account, the day the playbook would have fired, and the fact's key. */
    private record Replayed(UUID account, LocalDate day, String key) {}

    /**
     * The trigger replayed over the past year: for a health color, each time an account's stored health became the
     * color; for a renewal, each day a renewal was the trigger's days ahead (the end of a contract that ran, whatever
     * happened at it). A CTA unless the account had one within the cooldown or fell in the control group; owners are
     * today's. The {@code when} condition is read on today's data (past values of what it reads are not all kept).
     */
    private DryRun.Replay replay(Playbooks.Active playbook) {
        PlaybookDocument document = playbook.document();
        PlaybookDocument.Trigger trigger = document.trigger();
        LocalDate to = LocalDate.now(clock);
        LocalDate from = to.minusDays(364);
        List<Replayed> entries;
        String none;
        if (trigger.type() == PlaybookDocument.TriggerType.HEALTH_COLOR) {
            entries = health.colorEntries(trigger.color(), from, to).stream()
                    .map(e -> new Replayed(e.account(), e.day(), "color:" + trigger.color() + ":" + e.day()))
                    .toList();
            none = "no account's stored health became " + trigger.color() + " in the past year";
        } else if (trigger.type() == PlaybookDocument.TriggerType.RENEWAL) {
            entries = snapshots.contractEndsBetween(from.plusDays(trigger.days()), to.plusDays(trigger.days())).stream()
                    .map(r -> new Replayed(r.account(), r.day().minusDays(trigger.days()), "renewal:" + r.day()))
                    .toList();
            none = "no contract ended (or ends) " + trigger.days() + " days after a day of the past year";
        } else {
            return new DryRun.Replay(
                    false,
                    "a " + trigger.type().value()
                            + (trigger.type().followsActivity()
                                    ? " trigger is not replayed; the dry run above shows the facts of the last "
                                            + ActivityTriggers.RECENT_DAYS + " days that would fire it"
                                    : " trigger cannot be replayed: the past of what it reads is not kept; the dry"
                                            + " run on current data above is what it would do now"),
                    from,
                    to,
                    0,
                    List.of(),
                    0,
                    0,
                    List.of());
        }
        Set<UUID> applies = null;
        if (playbook.when() != null) {
            List<UUID> ids = entries.stream().map(Replayed::account).distinct().toList();
            applies =
                    ids.isEmpty() ? Set.of() : triggers.conditions().holding(playbook.when(), document.when(), ids, to);
        }
        Map<UUID, UUID> owners = new HashMap<>();
        accounts.findAll(entries.stream()
                        .map(e -> new AccountId(e.account()))
                        .distinct()
                        .toList())
                .forEach(a -> owners.put(a.id().value(), a.ownerId()));
        Map<UUID, User> people =
                users.findAll(owners.values().stream().filter(Objects::nonNull).collect(Collectors.toSet()));
        Map<UUID, LocalDate> last = new HashMap<>();
        TreeMap<LocalDate, Integer> weeks = new TreeMap<>();
        for (LocalDate week = from.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                !week.isAfter(to);
                week = week.plusWeeks(1)) {
            weeks.put(week, 0);
        }
        Map<String, Map<LocalDate, Integer>> perOwner = new TreeMap<>();
        int total = 0;
        for (Replayed entry : entries) {
            if (applies != null && !applies.contains(entry.account())) {
                continue;
            }
            LocalDate previous = last.get(entry.account());
            if (previous != null
                    && ChronoUnit.DAYS.between(previous, entry.day()) < Math.max(1, document.cooldownDays())) {
                continue;
            }
            if (PlaybookRunner.inControlGroup(
                    playbook,
                    new PlaybookRunner.Candidate(entry.account(), entry.key(), "", null, null),
                    document.controlPercent())) {
                last.put(entry.account(), entry.day());
                continue;
            }
            last.put(entry.account(), entry.day());
            LocalDate week = entry.day().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            weeks.merge(week, 1, Integer::sum);
            perOwner.computeIfAbsent(name(people, owners.get(entry.account())), k -> new TreeMap<>())
                    .merge(week, 1, Integer::sum);
            total++;
        }
        int weekCount = weeks.size();
        List<DryRun.OwnerWeekly> byOwner = perOwner.entrySet().stream()
                .map(e -> {
                    int sum = e.getValue().values().stream()
                            .mapToInt(Integer::intValue)
                            .sum();
                    int busiest = e.getValue().values().stream()
                            .mapToInt(Integer::intValue)
                            .max()
                            .orElse(0);
                    return new DryRun.OwnerWeekly(e.getKey(), sum, busiest, round((double) sum / weekCount));
                })
                .sorted(Comparator.comparing(DryRun.OwnerWeekly::busiestWeek).reversed())
                .toList();
        return new DryRun.Replay(
                true,
                entries.isEmpty() ? none : null,
                from,
                to,
                total,
                weeks.entrySet().stream()
                        .map(e -> new DryRun.Week(e.getKey(), e.getValue()))
                        .toList(),
                weeks.values().stream().mapToInt(Integer::intValue).max().orElse(0),
                round((double) total / weekCount),
                byOwner);
    }

    // ---- Effectiveness ----

    public PlaybookReport report(String name) {
        UUID id = playbooks.documents().id(name).orElseThrow(() -> new NotFoundException("playbook", name));
        Instant now = clock.instant();
        LocalDate today = LocalDate.now(clock);
        long[] counts = new long[5];
        Double[] median = {null};
        Long[] slaMet = {null};
        jdbc.sql("""
                        select count(*),
                               count(*) filter (where status = 'closed'),
                               count(*) filter (where status <> 'closed'),
                               count(*) filter (where status = 'open' and due_at < ?),
                               count(*) filter (where status = 'closed' and closed_at <= due_at),
                               percentile_cont(0.5) within group (order by extract(epoch from closed_at - created_at))
                                   filter (where status = 'closed')
                          from cta where playbook_id = ?""").params(java.sql.Timestamp.from(now), id).query(rs -> {
            counts[0] = rs.getLong(1);
            counts[1] = rs.getLong(2);
            counts[2] = rs.getLong(3);
            counts[3] = rs.getLong(4);
            counts[4] = rs.getLong(5);
            double seconds = rs.getDouble(6);
            median[0] = rs.wasNull() ? null : round(seconds / 86_400);
        });
        if (counts[1] > 0) {
            slaMet[0] = counts[4];
        }
        Map<String, Long> outcomes = new LinkedHashMap<>();
        CtaWork.OUTCOMES.forEach(o -> outcomes.put(o, 0L));
        jdbc.sql("select outcome, count(*) from cta where playbook_id = ? and status = 'closed' group by outcome")
                .param(id)
                .query(rs -> {
                    outcomes.put(rs.getString(1), rs.getLong(2));
                });
        long fired = jdbc.sql(
                        "select count(*) from playbook_firing where playbook_id = ? and result in ('cta', 'control')")
                .param(id)
                .query(Long.class)
                .single();
        record Firing(UUID account, LocalDate day, boolean control, Double score) {}
        List<Firing> firings = jdbc.sql("""
                        select account_id, day, result = 'control', score from playbook_firing
                         where playbook_id = ? and result in ('cta', 'control') order by day""")
                .param(id)
                .query((rs, n) -> new Firing(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, LocalDate.class),
                        rs.getBoolean(3),
                        rs.getObject(4) == null ? null : rs.getDouble(4)))
                .list();
        Map<UUID, Account> found = new HashMap<>();
        accounts.findAll(firings.stream()
                        .map(f -> new AccountId(f.account()))
                        .distinct()
                        .toList())
                .forEach(a -> found.put(a.id().value(), a));
        // Churn within 90 days of the firing, among firings at least 90 days old.
        List<double[]> churn = new ArrayList<>();
        for (Firing f : firings) {
            if (!f.day().plusDays(90).isAfter(today)) {
                Account account = found.get(f.account());
                boolean churned = account != null
                        && account.churn() != null
                        && !account.churn().since().isAfter(f.day().plusDays(90));
                churn.add(new double[] {f.control() ? 1 : 0, churned ? 1 : 0});
            }
        }
        return new PlaybookReport(
                name,
                fired,
                counts[0],
                counts[1],
                counts[2],
                counts[3],
                slaMet[0],
                slaMet[0] == null ? null : round((double) slaMet[0] / counts[1]),
                median[0],
                outcomes,
                Effect.proportions("churn within 90 days", churn, true),
                healthChange(
                        firings.stream()
                                .map(f -> new Effect.Sample(f.account(), f.day(), f.control(), f.score()))
                                .toList(),
                        30,
                        today),
                healthChange(
                        firings.stream()
                                .map(f -> new Effect.Sample(f.account(), f.day(), f.control(), f.score()))
                                .toList(),
                        90,
                        today));
    }

    private PlaybookReport.Comparison healthChange(List<Effect.Sample> samples, int days, LocalDate today) {
        Map<LocalDate, List<Effect.Sample>> byDay = samples.stream()
                .filter(s -> s.score() != null && !s.day().plusDays(days).isAfter(today))
                .collect(Collectors.groupingBy(s -> s.day().plusDays(days)));
        List<double[]> changes = new ArrayList<>();
        byDay.forEach((day, group) -> {
            Map<UUID, Double> later =
                    health.scoresAsOf(group.stream().map(Effect.Sample::account).toList(), day);
            for (Effect.Sample s : group) {
                Double after = later.get(s.account());
                if (after != null) {
                    changes.add(new double[] {s.control() ? 1 : 0, after - s.score()});
                }
            }
        });
        return Effect.means("health change after " + days + " days", changes);
    }

    // ---- Shipped playbooks ----

    /** The playbooks Steward ships, by name, as YAML: onboarding, at-risk, monitoring, expansion, renewal … */
    public Map<String, String> shipped() {
        Map<String, String> shipped = new LinkedHashMap<>();
        try {
            Resource[] resources = new PathMatchingResourcePatternResolver().getResources("classpath:playbooks/*.yaml");
            java.util.Arrays.sort(resources, Comparator.comparing(Resource::getFilename));
            for (Resource resource : resources) {
                String yaml = resource.getContentAsString(StandardCharsets.UTF_8);
                String name = yaml.lines()
                        .filter(l -> l.startsWith("name:"))
                        .findFirst()
                        .map(l -> l.substring(5).strip())
                        .orElse(resource.getFilename());
                shipped.put(name, yaml);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return shipped;
    }

    /** Saves and publishes the shipped playbooks that are not there yet (all, or those named); answers their names. */
    @Transactional
    public List<String> installShipped(List<String> names, User author) {
        requireEditor(author, "install");
        List<String> installed = new ArrayList<>();
        for (Map.Entry<String, String> entry : shipped().entrySet()) {
            if ((names != null && !names.isEmpty() && !names.contains(entry.getKey()))
                    || playbooks.documents().id(entry.getKey()).isPresent()) {
                continue;
            }
            DocumentText<PlaybookProblem> draft = saveDraft(entry.getKey(), entry.getValue(), author);
            if (draft.problems().isEmpty()) {
                publish(entry.getKey(), draft.version().version(), author);
                installed.add(entry.getKey());
            }
        }
        return installed;
    }

    /** Replaces the holidays of the working calendar SLAs count in. */
    public void replaceHolidays(Map<LocalDate, String> holidays, User author) {
        requireEditor(author, "change the calendar of");
        if (holidays == null || holidays.size() > Calendars.MAXIMUM_HOLIDAYS) {
            throw new InvalidInputException(
                    "holidays", "must be a map of at most " + Calendars.MAXIMUM_HOLIDAYS + " days");
        }
        List<FieldError> errors = new ArrayList<>();
        holidays.forEach((day, name) -> {
            if (name == null || name.isBlank() || name.length() > 100) {
                errors.add(FieldError.of("holidays." + day, "needs a name of 1 to 100 characters"));
            }
        });
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        calendars.replace(holidays);
    }

    // ---- Helpers ----

    static String describe(PlaybookDocument.Trigger trigger) {
        return switch (trigger.type()) {
            case HEALTH_COLOR -> "Health turns " + trigger.color();
            case RENEWAL -> "Renewal in " + trigger.days() + " days";
            case STAGE_ENTERED -> "Enters stage " + trigger.stage();
            case DAYS_IN_STAGE -> trigger.days() + " days in stage " + trigger.stage();
            case SEGMENT_ENTERED -> "Enters segment " + trigger.segment();
            case SEGMENT_LEFT -> "Leaves segment " + trigger.segment();
            case CONDITION -> "When " + trigger.condition();
            case SCHEDULE -> "Every " + trigger.every();
            case NPS ->
                "NPS response from a " + trigger.score() + " (" + ActivityTriggers.npsRange(trigger.score()) + ")";
            case TICKET_ESCALATED -> "A ticket is escalated";
            case TICKETS -> trigger.count() + " or more tickets in " + trigger.days() + " days";
            case CONTACT_LEFT ->
                (trigger.role().equals("champion") ? "The champion" : "The executive sponsor") + " leaves";
            case INVOICE_OVERDUE -> "An invoice unpaid " + trigger.days() + " days after it is due";
            case NO_MEETING -> "No meeting in " + trigger.days() + " days";
            case SCORE_DROP -> "Score drops " + trigger.points() + " points within " + trigger.days() + " days";
        };
    }

    private static String name(Map<UUID, User> people, UUID id) {
        return id == null
                ? "(unassigned)"
                : people.containsKey(id) ? people.get(id).displayName() : "(unknown)";
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private void requireEditor(User user, String what) {
        if (!mayEdit(user)) {
            throw new org.springframework.security.access.AccessDeniedException(
                    "Only admins and managers may " + what + " playbooks");
        }
    }

    static InvalidInputException refused(List<PlaybookProblem> problems) {
        return new InvalidInputException(problems.stream()
                .map(p -> FieldError.of(
                        p.field(),
                        p.line() == null
                                ? p.reason()
                                : "line " + p.line() + ", column " + p.column() + ": " + p.reason()))
                .toList());
    }
}
