package dev.steward.ingest.sync;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import dev.steward.core.ConflictException;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.ingest.Source;
import dev.steward.ingest.Sources;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What every source pulled from a vendor's API shares (Zendesk, Intercom…): the rules of its name, schedule, token and
 * accounts source; its pulls as db-scheduler jobs named by the source (one at a time per source, across instances),
 * started at once or when due; and each feed's latest run as pages and the API show it.
 */
@Service
public class PullSources {

    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");

    /** One feed of a source as shown (an export, a search…): where it goes on from, and its latest run. */
    public record Feed(String object, @Nullable String cursor, SyncRuns.@Nullable Run latest) {}

    private final Sources sources;
    private final PullConnections connections;
    private final SyncRuns runs;
    private final ObjectProvider<SchedulerClient> scheduler;
    private final TransactionTemplate transactions;
    private final Clock clock;

    PullSources(
            Sources sources,
            PullConnections connections,
            SyncRuns runs,
            ObjectProvider<SchedulerClient> scheduler,
            PlatformTransactionManager transactionManager,
            Clock clock) {
        this.sources = sources;
        this.connections = connections;
        this.runs = runs;
        this.scheduler = scheduler;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /**
     * Keeps a new connection whose credentials were tried: the source of this kind and its connection (settings, the
     * sealed secret, the schedule, the next pull a period from now), in one transaction. Unless paused, its first pull
     * (everything) is scheduled at once. Answers the source's id.
     */
    public <S, T> UUID connect(
            String name,
            Source.Kind kind,
            S settings,
            String sealedSecret,
            int everyMinutes,
            boolean paused,
            OneTimeTask<T> pullTask,
            T firstPull) {
        Instant now = clock.instant();
        UUID id = transactions.execute(status -> {
            Source source = sources.create(name, kind, null, Math.max(1, (everyMinutes * 2 + 59) / 60));
            connections.save(new PullConnections.Connection<>(
                    source.id(),
                    settings,
                    sealedSecret,
                    everyMinutes,
                    paused,
                    now.plus(Duration.ofMinutes(everyMinutes)),
                    now));
            return source.id();
        });
        if (!paused) {
            schedule(pullTask, id, firstPull);
        }
        return id;
    }

    /**
     * Changes a connection: new settings and sealed secret ({@code checked}: its credentials were just tried), and the
     * schedule where given (a new period counts from now); fields not given stay as they are.
     */
    public <S> void reconnect(
            PullConnections.Connection<S> current,
            S settings,
            String sealedSecret,
            boolean checked,
            @Nullable Integer everyMinutes,
            @Nullable Boolean paused) {
        int every = every(everyMinutes, current.everyMinutes());
        Instant now = clock.instant();
        connections.save(new PullConnections.Connection<>(
                current.source(),
                settings,
                sealedSecret,
                every,
                paused == null ? current.paused() : paused,
                every != current.everyMinutes() || current.nextSyncAt() == null
                        ? now.plus(Duration.ofMinutes(every))
                        : current.nextSyncAt(),
                checked ? now : current.checkedAt()));
    }

    /** Starts the source's pull now; 409 while one runs or is about to. */
    public <T> void pullNow(OneTimeTask<T> task, Source source, T data) {
        if (!schedule(task, source.id(), data)) {
            throw ConflictException.of("a pull of '" + source.name() + "' is running or about to start");
        }
    }

    /** Refuses a name that is no source name (422) or is taken (409). */
    public void requireNewName(@Nullable String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException(
                    "name",
                    "must be 1 to 63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (sources.find(name).isPresent()) {
            throw ConflictException.of("a source named '" + name + "' already exists");
        }
    }

    /** The source of this kind by name; 404 naming what it is ("Zendesk source"). */
    public Source source(String name, Source.Kind kind, String what) {
        return sources.find(name).filter(s -> s.kind() == kind).orElseThrow(() -> new NotFoundException(what, name));
    }

    public List<Source> all(Source.Kind kind) {
        return sources.all().stream().filter(s -> s.kind() == kind).toList();
    }

    /** Schedules the source's pull job now unless one is waiting or running; false if one is. */
    public <T> boolean schedule(OneTimeTask<T> task, UUID source, T data) {
        return scheduler.getObject().scheduleIfNotExists(task.schedulableInstance(source.toString(), data));
    }

    /** Whether the source's pull job is waiting to start or running. */
    public boolean pending(OneTimeTask<?> task, UUID source) {
        return scheduler
                .getObject()
                .getScheduledExecution(TaskInstanceId.of(task.getName(), source.toString()))
                .isPresent();
    }

    /** Schedules the pulls of sources of this kind whose time has come; answers how many started. */
    public <T> int scheduleDue(Source.Kind kind, OneTimeTask<T> task, T data) {
        int started = 0;
        for (UUID source : connections.due(kind, clock.instant())) {
            if (schedule(task, source, data)) {
                started++;
            }
        }
        return started;
    }

    /** How one feed of a pull goes: false when it failed, which stops the pull there. */
    @FunctionalInterface
    public interface FeedPull<S, F> {
        boolean pull(Source source, PullConnections.Connection<S> connection, F feed);
    }

    /**
     * A pull of the source, if it and its connection still exist: the next is due a period from now, runs a stop cut
     * off are marked failed, then each feed in turn, each in its own run, until one fails (the later ones name what
     * the earlier ones bring; the next pull resumes).
     */
    public <S, F> void pull(UUID sourceId, Class<S> settings, List<F> feeds, FeedPull<S, F> feedPull) {
        Source source = sources.find(sourceId).orElse(null);
        PullConnections.Connection<S> c =
                source == null ? null : connections.find(sourceId, settings).orElse(null);
        if (c == null) {
            return;
        }
        starting(sourceId, c.everyMinutes());
        for (F feed : feeds) {
            if (!feedPull.pull(source, c, feed)) {
                return;
            }
        }
    }

    /** A pull starts: the next one is due a period from now, and runs a stop cut off are marked failed. */
    private void starting(UUID source, int everyMinutes) {
        connections.nextSyncAt(source, clock.instant().plus(Duration.ofMinutes(everyMinutes)));
        runs.abandonRunning(source, clock.instant());
    }

    /** Each feed, in this order, with its cursor and its latest run among {@code latest}. */
    public static List<Feed> feeds(List<String> names, Map<String, String> cursors, List<SyncRuns.Run> latest) {
        return names.stream()
                .map(n -> new Feed(
                        n,
                        cursors.get(n),
                        latest.stream()
                                .filter(r -> n.equals(r.feed()))
                                .findFirst()
                                .orElse(null)))
                .toList();
    }

    /** Refuses whoever is not an administrator ({@code what}: "Zendesk sources", what they may not change). */
    public static void requireAdministrator(@Nullable Authentication authentication, String what) {
        boolean admin = authentication != null
                && authentication.getAuthorities().stream().anyMatch(a -> "ROLE_ADMIN".equals(a.getAuthority()));
        if (!admin) {
            throw new AccessDeniedException("Only administrators may connect and change " + what);
        }
    }

    /** How often a source is pulled: 5 minutes to a week. */
    public static int every(@Nullable Integer given, int fallback) {
        int every = given == null ? fallback : given;
        if (every < 5 || every > 10_080) {
            throw new InvalidInputException("everyMinutes", "must be from 5 (every five minutes) to 10080 (weekly)");
        }
        return every;
    }

    /** A token as given: at most 1,000 characters, no spaces. */
    public static String token(String token, String field) {
        if (token.length() > 1_000 || token.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidInputException(field, "is not a token (at most 1,000 characters, no spaces)");
        }
        return token;
    }

    /**
     * The source whose external ids the vendor's companies carry ({@code what}: "organizations' external_id"), or
     * null; never the source itself.
     */
    public static @Nullable String accountsSource(@Nullable String given, @Nullable String self, String what) {
        if (given == null || given.isBlank()) {
            return null;
        }
        String source = given.strip();
        if (source.length() > 100) {
            throw new InvalidInputException("accountsSource", "must be at most 100 characters");
        }
        if (source.equals(self)) {
            throw new InvalidInputException(
                    "accountsSource", "names this source: name the source whose ids " + what + " are");
        }
        return source;
    }
}
