package dev.steward.identity;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The sessions of signed-in people, kept in PostgreSQL by Spring Session so that every instance honours them. A
 * session names its user by email; ending a user's sessions here ends them on every instance at once.
 */
@Repository
class Sessions {

    private final JdbcClient jdbc;
    private final Clock clock;

    Sessions(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Ends every session of the user with this email; says how many there were. */
    int endAll(String email) {
        return jdbc.sql("delete from spring_session where lower(principal_name) = lower(?)")
                .param(email)
                .update();
    }

    /** Ends every session of the user except the one they are using. */
    int endAllBut(String email, String sessionId) {
        return jdbc.sql("delete from spring_session where lower(principal_name) = lower(?) and session_id <> ?")
                .params(email, sessionId)
                .update();
    }

    int endExpired() {
        return jdbc.sql("delete from spring_session where expiry_time < ?")
                .param(clock.millis())
                .update();
    }

    /** Removes expired sessions once a minute, on one instance. */
    @Bean
    static RecurringTask<Void> expiredSessions(Sessions sessions) {
        return Tasks.recurring("identity-expired-sessions", Schedules.fixedDelay(Duration.ofMinutes(1)))
                .execute((instance, context) -> sessions.endExpired());
    }
}
