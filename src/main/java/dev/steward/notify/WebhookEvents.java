package dev.steward.notify;

import java.sql.Timestamp;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The events broadcast to webhook endpoints, kept while deliveries of them exist. */
@Repository
class WebhookEvents {

    private final JdbcClient jdbc;

    WebhookEvents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void add(WebhookEvent event) {
        jdbc.sql("insert into notify_event (id, kind, text, data, occurred_at) values (?, ?, ?, ?::jsonb, ?)")
                .params(event.id(), event.kind(), event.text(), event.dataJson(), Timestamp.from(event.occurredAt()))
                .update();
    }

    Optional<WebhookEvent> find(UUID id) {
        return jdbc.sql("select id, kind, text, data::text as data, occurred_at from notify_event where id = ?")
                .param(id)
                .query((rs, row) -> new WebhookEvent(
                        rs.getObject("id", UUID.class),
                        rs.getString("kind"),
                        rs.getString("text"),
                        rs.getString("data"),
                        rs.getTimestamp("occurred_at").toInstant()))
                .optional();
    }
}
