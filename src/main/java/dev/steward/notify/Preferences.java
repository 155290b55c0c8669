package dev.steward.notify;

import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Each person's email preference; a person who never chose gets email at once. */
@Repository
class Preferences {

    static final EmailMode DEFAULT = EmailMode.immediate;

    private final JdbcClient jdbc;

    Preferences(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    EmailMode emailMode(UUID user) {
        return jdbc.sql("select email_mode from notify_preference where user_id = ?")
                .param(user)
                .query((rs, row) -> EmailMode.valueOf(rs.getString(1)))
                .optional()
                .orElse(DEFAULT);
    }

    void setEmailMode(UUID user, EmailMode mode, Instant at) {
        jdbc.sql("""
                        insert into notify_preference (user_id, email_mode, updated_at) values (?, ?, ?)
                        on conflict (user_id) do update set email_mode = excluded.email_mode, updated_at = excluded.updated_at
                        """).params(user, mode.name(), java.sql.Timestamp.from(at)).update();
    }
}
