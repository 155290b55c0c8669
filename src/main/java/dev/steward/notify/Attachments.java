package dev.steward.notify;

import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The files of outbox emails, stored with their delivery and sent with every attempt of it. */
@Repository
class Attachments {

    private final JdbcClient jdbc;

    Attachments(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void add(UUID delivery, List<Attachment> attachments) {
        for (int i = 0; i < attachments.size(); i++) {
            Attachment attachment = attachments.get(i);
            jdbc.sql("""
                            insert into notify_attachment (delivery_id, position, file_name, content_type, content)
                            values (?, ?, ?, ?, ?)
                            """)
                    .params(delivery, i, attachment.fileName(), attachment.contentType(), attachment.content())
                    .update();
        }
    }

    /** The delivery's files in the order they were given. */
    List<Attachment> of(UUID delivery) {
        return jdbc.sql("""
                        select file_name, content_type, content from notify_attachment
                         where delivery_id = ? order by position
                        """)
                .param(delivery)
                .query((rs, row) ->
                        new Attachment(rs.getString("file_name"), rs.getString("content_type"), rs.getBytes("content")))
                .list();
    }
}
