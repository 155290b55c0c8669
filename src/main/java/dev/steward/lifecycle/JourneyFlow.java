package dev.steward.lifecycle;

import dev.steward.core.BadRequestException;
import dev.steward.core.Conditions;
import dev.steward.core.VersionedDocuments;
import dev.steward.customer.Account;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.AccountSnapshots;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The journey's flow across accounts over a period: per stage of the journey in force, the accounts that entered it,
 * where they went next (conversion to the next stage), how long stays in it lasted, which accounts stalled in it and
 * which are still there; for a segment and a start cohort; and the accounts behind each of those numbers.
 *
 * <p>The numbers and what they count:
 *
 * <ul>
 *   <li><b>entered</b>: accounts whose stay in the stage began in the period; an account that entered it more than
 *       once counts once, by its first entry;
 *   <li><b>moved on</b>: of those, the ones whose stay had ended by the end of the period, by the stage they went
 *       to next, or none; <b>still there</b>: the others, so that entered = moved on + still there;
 *   <li><b>conversion</b>: the share of the accounts that entered that went straight on to the next stage in the
 *       journey's order; none (null) when no account entered, or for the last stage;
 *   <li><b>median and p75 days</b>: of the stays in the stage that ended within the period (whenever they began),
 *       in whole days; none when no stay ended;
 *   <li><b>stalled</b>: accounts in the stage at the end of the period, whenever they entered, for more days than
 *       its stall limit: {@value #STALL_FACTOR} × the median, at least {@value #MINIMUM_STALL_DAYS} days, or
 *       {@value #DEFAULT_STALL_DAYS} days when no stay ended in the period.
 * </ul>
 *
 * A segment counts the stays whose account was in the segment at the end of the day the stay began; a start cohort
 * (a quarter) counts the accounts whose first contract started in it. A past period is read as it stood at its end.
 */
@Service
@Transactional(readOnly = true)
public class JourneyFlow {

    /** The period the flow covers unless told otherwise: this many days up to today. */
    static final int DEFAULT_DAYS = 365;

    /** The longest period the flow covers. */
    static final int MAXIMUM_YEARS = 3;

    /** An account has stalled in a stage after this many times the median stay there. */
    static final int STALL_FACTOR = 2;

    /** The stall limit is never shorter than this, however quickly stays end. */
    static final int MINIMUM_STALL_DAYS = 7;

    /** The stall limit of a stage in which no stay ended in the period. */
    static final int DEFAULT_STALL_DAYS = 90;

    /** What {@code movedTo} says for "left the stage for no stage". */
    public static final String NO_STAGE = "none";

    private final LifecycleManagement lifecycle;
    private final StageMoves moves;
    private final VersionedDocuments<SegmentProblem> segments;
    private final SegmentManagement segmentManagement;
    private final AccountSnapshots snapshots;
    private final AccountManagement accounts;
    private final Clock clock;

    JourneyFlow(
            LifecycleManagement lifecycle,
            StageMoves moves,
            VersionedDocuments<SegmentProblem> segments,
            SegmentManagement segmentManagement,
            AccountSnapshots snapshots,
            AccountManagement accounts,
            Clock clock) {
        this.lifecycle = lifecycle;
        this.moves = moves;
        this.segments = segments;
        this.segmentManagement = segmentManagement;
        this.snapshots = snapshots;
        this.accounts = accounts;
        this.clock = clock;
    }

    /** Where accounts that left a stage went: a stage ({@code stage} {@code null}: none), and how many. */
    public record Move(String stage, String name, long accounts) {}

    /**
     * One stage of the journey over the period (see {@link JourneyFlow} for what each number counts). {@code
     * nextStage}, {@code converted} and {@code conversion} are null for the last stage; {@code conversion} also when
     * no account entered; {@code medianDays} and {@code p75Days} when no stay ended. {@code stallLimitFromMedian} says
     * whether the stall limit came from the median or is the default.
     */
    public record StageFlow(
            String key,
            String name,
            long entered,
            long stillThere,
            long movedOn,
            List<Move> movedTo,
            String nextStage,
            String nextStageName,
            Long converted,
            Double conversion,
            long completedStays,
            Long medianDays,
            Long p75Days,
            long stallLimitDays,
            boolean stallLimitFromMedian,
            long stalled) {}

    /**
     * The flow over a period ({@code from} to {@code to}, both included) as it stood at {@code observedAt}, for a
     * segment and a start cohort ({@code null}: not filtered by it), with each stage of the journey in force in its
     * order; no stages before a journey is published. {@code trackedSince}: when stages began to be kept.
     */
    public record Flow(
            LocalDate from,
            LocalDate to,
            String segment,
            String cohort,
            Instant observedAt,
            Instant trackedSince,
            List<StageFlow> stages) {}

    /**
     * An account behind a number: its stay in the stage (entered, left: null while there at the end of the period),
     * where it went ({@code movedTo} {@code null}: still there or no stage, see {@code leftAt}) and the days there.
     */
    public record FlowAccount(
            UUID accountId,
            String name,
            BigDecimal arr,
            Instant enteredAt,
            Instant leftAt,
            String movedTo,
            String movedToName,
            long days) {}

    /**
     * The accounts behind a number of the flow: which number ({@code shown}, in words), how many accounts it counts,
     * and up to the limit of them, longest in the stage first.
     */
    public record FlowAccounts(
            LocalDate from,
            LocalDate to,
            String segment,
            String cohort,
            String stage,
            String stageName,
            String shown,
            long total,
            List<FlowAccount> accounts) {}

    /** A start cohort that can be chosen, with how many accounts' first contract started in it. */
    public record CohortOption(String cohort, long accounts) {}

    /** The flow over a period (default: the last {@value #DEFAULT_DAYS} days up to today) for a segment and cohort. */
    public Flow flow(String from, String to, String segment, String cohort) {
        Query query = query(from, to, segment, cohort);
        List<StageFlow> stages = new ArrayList<>();
        if (query.journey() != null) {
            Map<String, List<StageMoves.Outcome>> outcomes =
                    moves.outcomes(query.scope()).stream().collect(Collectors.groupingBy(StageMoves.Outcome::stage));
            Map<String, StageMoves.Durations> durations = moves.durations(query.scope());
            Map<String, StallLimit> limits = limits(query.journey(), durations);
            Map<String, Long> stalled = moves.stalled(
                    query.scope(),
                    limits.entrySet().stream()
                            .collect(Collectors.toMap(
                                    Map.Entry::getKey, e -> e.getValue().days())));
            List<JourneyDocument.Stage> order = query.journey().stages();
            for (int i = 0; i < order.size(); i++) {
                JourneyDocument.Stage stage = order.get(i);
                JourneyDocument.Stage next = i + 1 < order.size() ? order.get(i + 1) : null;
                stages.add(stage(
                        stage,
                        next,
                        outcomes.getOrDefault(stage.key(), List.of()),
                        durations.get(stage.key()),
                        limits.get(stage.key()),
                        stalled.getOrDefault(stage.key(), 0L),
                        order));
            }
        }
        return new Flow(
                query.from(),
                query.to(),
                query.segment(),
                query.cohort() == null ? null : query.cohort().toString(),
                query.scope().until(),
                lifecycle.trackedSince(),
                stages);
    }

    /**
     * The accounts behind one number of the flow of a stage: those that entered it (no other choice given), those that
     * moved on to a stage ({@code movedTo}: its key, or {@value #NO_STAGE}), those still there, those stalled there, or
     * those whose stay there ended in the period ({@code completed}); longest in the stage first, up to {@code limit}
     * (1 to {@value LifecycleManagement#MAXIMUM_LISTED}).
     */
    public FlowAccounts accounts(
            String from,
            String to,
            String segment,
            String cohort,
            String stage,
            String movedTo,
            boolean still,
            boolean stalled,
            boolean completed,
            int limit) {
        Query query = query(from, to, segment, cohort);
        LifecycleManagement.LISTED.of(limit);
        List<JourneyDocument.Stage> order =
                query.journey() == null ? List.of() : query.journey().stages();
        JourneyDocument.Stage chosen = stage("stage", stage, order, false);
        List<String> choices = new ArrayList<>();
        if (movedTo != null && !movedTo.isBlank()) {
            choices.add("movedTo");
        }
        if (still) {
            choices.add("still");
        }
        if (stalled) {
            choices.add("stalled");
        }
        if (completed) {
            choices.add("completed");
        }
        if (choices.size() > 1) {
            throw new BadRequestException(
                    choices.get(1), "give only one of movedTo, still, stalled and completed; got " + choices);
        }
        StageMoves.Scope scope = query.scope();
        StageMoves.Stays stays;
        String shown;
        if (!choices.isEmpty() && choices.get(0).equals("movedTo")) {
            JourneyDocument.Stage target = stage("movedTo", movedTo, order, true);
            stays = moves.entries(
                    scope, chosen.key(), StageMoves.Entries.MOVED_TO, target == null ? null : target.key(), limit);
            shown = "entered " + chosen.name() + " and moved on to " + (target == null ? "no stage" : target.name());
        } else if (still) {
            stays = moves.entries(scope, chosen.key(), StageMoves.Entries.STILL_THERE, null, limit);
            shown = "entered " + chosen.name() + " and are still there";
        } else if (stalled) {
            StallLimit stall = limits(query.journey(), moves.durations(scope)).get(chosen.key());
            stays = moves.stalledIn(scope, chosen.key(), stall.days(), limit);
            shown = "stalled in " + chosen.name() + ": there for more than " + stall.days() + " days";
        } else if (completed) {
            stays = moves.completedIn(scope, chosen.key(), limit);
            shown = "left " + chosen.name() + " in the period (completed stays)";
        } else {
            stays = moves.entries(scope, chosen.key(), StageMoves.Entries.ALL, null, limit);
            shown = "entered " + chosen.name();
        }
        Map<UUID, Account> found =
                accounts
                        .findAll(stays.stays().stream()
                                .map(s -> new AccountId(s.account()))
                                .toList())
                        .stream()
                        .collect(Collectors.toMap(a -> a.id().value(), Function.identity()));
        List<FlowAccount> listed = new ArrayList<>();
        for (StageMoves.Stay stay : stays.stays()) {
            Account account = found.get(stay.account());
            if (account != null) {
                listed.add(new FlowAccount(
                        stay.account(),
                        account.name(),
                        account.arr(),
                        stay.enteredAt(),
                        stay.leftAt(),
                        stay.movedTo(),
                        stay.movedToName(),
                        stay.days()));
            }
        }
        return new FlowAccounts(
                query.from(),
                query.to(),
                query.segment(),
                query.cohort() == null ? null : query.cohort().toString(),
                chosen.key(),
                chosen.name(),
                shown,
                stays.total(),
                listed);
    }

    /** The segments the flow can be filtered by: the published ones, by name. */
    public List<String> segments() {
        return segmentManagement.publishedNames().stream().sorted().toList();
    }

    /** The start cohorts the flow can be filtered by, newest first: the quarters in which first contracts started. */
    public List<CohortOption> cohorts() {
        return snapshots.firstContractQuarters().descendingMap().entrySet().stream()
                .map(e -> new CohortOption(StartCohort.of(e.getKey()).toString(), e.getValue()))
                .toList();
    }

    /** A stage's stall limit in days, and whether it came from the median stay there. */
    record StallLimit(long days, boolean fromMedian) {

        static StallLimit of(StageMoves.Durations durations) {
            return durations == null
                    ? new StallLimit(DEFAULT_STALL_DAYS, false)
                    : new StallLimit(Math.max(STALL_FACTOR * durations.medianDays(), MINIMUM_STALL_DAYS), true);
        }
    }

    private static Map<String, StallLimit> limits(
            JourneyDocument journey, Map<String, StageMoves.Durations> durations) {
        Map<String, StallLimit> limits = new LinkedHashMap<>();
        if (journey != null) {
            journey.stages().forEach(stage -> limits.put(stage.key(), StallLimit.of(durations.get(stage.key()))));
        }
        return limits;
    }

    private static StageFlow stage(
            JourneyDocument.Stage stage,
            JourneyDocument.Stage next,
            List<StageMoves.Outcome> outcomes,
            StageMoves.Durations durations,
            StallLimit limit,
            long stalled,
            List<JourneyDocument.Stage> order) {
        long entered = outcomes.stream().mapToLong(StageMoves.Outcome::accounts).sum();
        long still = outcomes.stream()
                .filter(StageMoves.Outcome::still)
                .mapToLong(StageMoves.Outcome::accounts)
                .sum();
        List<String> keys = order.stream().map(JourneyDocument.Stage::key).toList();
        List<Move> movedTo = outcomes.stream()
                .filter(o -> !o.still())
                .map(o -> new Move(
                        o.movedTo(),
                        o.movedTo() == null ? "No stage" : nameOf(o.movedTo(), o.movedToName(), order),
                        o.accounts()))
                .sorted(Comparator.comparingLong(Move::accounts)
                        .reversed()
                        .thenComparingInt(m -> m.stage() == null
                                ? Integer.MAX_VALUE
                                : keys.indexOf(m.stage()) < 0 ? keys.size() : keys.indexOf(m.stage())))
                .toList();
        Long converted = next == null
                ? null
                : movedTo.stream()
                        .filter(m -> next.key().equals(m.stage()))
                        .mapToLong(Move::accounts)
                        .sum();
        return new StageFlow(
                stage.key(),
                stage.name(),
                entered,
                still,
                entered - still,
                movedTo,
                next == null ? null : next.key(),
                next == null ? null : next.name(),
                converted,
                converted == null || entered == 0 ? null : (double) converted / entered,
                durations == null ? 0 : durations.stays(),
                durations == null ? null : durations.medianDays(),
                durations == null ? null : durations.p75Days(),
                limit.days(),
                limit.fromMedian(),
                stalled);
    }

    private static String nameOf(String key, String recorded, List<JourneyDocument.Stage> order) {
        return order.stream()
                .filter(s -> s.key().equals(key))
                .map(JourneyDocument.Stage::name)
                .findFirst()
                .orElse(recorded == null ? key : recorded);
    }

    /** A request's period, filters and the journey in force, checked; what the statements read. */
    private record Query(
            LocalDate from,
            LocalDate to,
            String segment,
            StartCohort cohort,
            JourneyDocument journey,
            StageMoves.Scope scope) {}

    private Query query(String fromText, String toText, String segmentName, String cohortText) {
        ZoneId zone = clock.getZone();
        LocalDate today = LocalDate.now(clock);
        LocalDate to = day("to", toText, today);
        LocalDate from = day("from", fromText, to.minusDays(DEFAULT_DAYS - 1));
        if (to.isAfter(today)) {
            throw new BadRequestException(
                    "to", "is " + to + ", after today (" + today + "); stages are known up to now");
        }
        if (from.isAfter(to)) {
            throw new BadRequestException("from", "is " + from + ", after to (" + to + ")");
        }
        if (from.isBefore(to.minusYears(MAXIMUM_YEARS))) {
            throw new BadRequestException(
                    "from",
                    "is " + from + ", more than " + MAXIMUM_YEARS + " years before to (" + to + "); the period may"
                            + " span at most " + MAXIMUM_YEARS + " years");
        }
        UUID segment = null;
        String segmentShown = null;
        if (segmentName != null && !segmentName.isBlank()) {
            segmentShown = segmentName.strip();
            segment = segments.id(segmentShown).orElse(null);
            if (segment == null) {
                List<String> names = segments.listed().stream()
                        .map(VersionedDocuments.Listed::name)
                        .toList();
                String nearest = Conditions.nearest(segmentShown, names);
                throw new BadRequestException(
                        "segment",
                        "no segment is named '" + segmentShown + "'"
                                + (nearest == null ? "" : "; did you mean '" + nearest + "'?") + " The segments are "
                                + names);
            }
        }
        StartCohort cohort = cohortText == null || cohortText.isBlank() ? null : StartCohort.parse(cohortText);
        List<UUID> members = cohort == null
                ? null
                : List.copyOf(snapshots
                        .firstContractsBetween(cohort.firstDay(), cohort.lastDay())
                        .keySet());
        Instant endOfPeriod = to.plusDays(1).atStartOfDay(zone).toInstant();
        Instant now = clock.instant();
        StageMoves.Scope scope = new StageMoves.Scope(
                from.atStartOfDay(zone).toInstant(),
                now.isBefore(endOfPeriod) ? now : endOfPeriod,
                to,
                zone,
                segment,
                members);
        return new Query(from, to, segmentShown, cohort, lifecycle.publishedDocument(), scope);
    }

    private static LocalDate day(String parameter, String text, LocalDate otherwise) {
        if (text == null || text.isBlank()) {
            return otherwise;
        }
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new BadRequestException(parameter, "'" + text + "' is not a day; write it as YYYY-MM-DD");
        }
    }

    /** The stage of the journey with the key; for {@code movedTo}, {@value #NO_STAGE} is none (answered null). */
    private static JourneyDocument.Stage stage(
            String parameter, String key, List<JourneyDocument.Stage> order, boolean noneAllowed) {
        List<String> keys = order.stream().map(JourneyDocument.Stage::key).toList();
        if (key == null || key.isBlank()) {
            throw new BadRequestException(parameter, "is required: the key of a stage of the journey, one of " + keys);
        }
        String wanted = key.strip();
        if (noneAllowed && wanted.equals(NO_STAGE)) {
            return null;
        }
        return order.stream().filter(s -> s.key().equals(wanted)).findFirst().orElseThrow(() -> {
            String nearest = Conditions.nearest(wanted, keys);
            return new BadRequestException(
                    parameter,
                    "no stage of the journey has the key '" + wanted + "'"
                            + (nearest == null ? "" : "; did you mean '" + nearest + "'?") + " The stages are "
                            + keys + (noneAllowed ? ", or '" + NO_STAGE + "' for no stage" : ""));
        });
    }
}
