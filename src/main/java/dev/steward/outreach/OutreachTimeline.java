package dev.steward.outreach;

import dev.steward.activity.TimelineEntry;
import dev.steward.activity.TimelineSource;
import dev.steward.customer.AccountId;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Puts what email journeys did with an account's contacts on its timeline (kind {@code email}): entered or held out,
 * each email and survey sent, replies, unsubscribes, bounces, and contacts leaving a journey early.
 */
@Component
class OutreachTimeline implements TimelineSource {

    static final String KIND = "email";

    private final JdbcClient jdbc;

    OutreachTimeline(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Set<String> kinds() {
        return Set.of(KIND);
    }

    @Override
    public List<TimelineEntry> entries(AccountId account, Set<String> kinds, @Nullable Position after, int limit) {
        if (!kinds.contains(KIND)) {
            return List.of();
        }
        List<Object> params = new ArrayList<>(List.of(account.value()));
        String position = "";
        if (after != null) {
            position = " and (at, id) < (?, ?)";
            params.add(Timestamp.from(after.at()));
            params.add(after.id());
        }
        params.add(limit);
        return jdbc.sql("select id, at, title, summary from outreach_event where account_id = ?" + position
                        + " order by at desc, id desc limit ?")
                .params(params)
                .query((rs, n) -> new TimelineEntry(
                        KIND,
                        rs.getObject("id", UUID.class),
                        rs.getTimestamp("at").toInstant(),
                        rs.getString("title"),
                        rs.getString("summary")))
                .list();
    }
}
