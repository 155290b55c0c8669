package dev.steward.outreach;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;

/** The kinds of journey mail (journeys' categories) each address chose not to get, on its preference page. */
@Component
class MailPreferences {

    private final JdbcClient jdbc;

    MailPreferences(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The categories the address switched off. */
    Set<String> categoriesOff(String email) {
        return jdbc.sql("select categories_off from outreach_preference where email = ?")
                .param(email.strip().toLowerCase(Locale.ROOT))
                .query((rs, n) -> {
                    Set<String> off = new TreeSet<>();
                    for (Object category : (Object[]) rs.getArray(1).getArray()) {
                        off.add((String) category);
                    }
                    return off;
                })
                .optional()
                .orElse(new TreeSet<>());
    }

    boolean off(String email, String category) {
        return categoriesOff(email).contains(category);
    }

    void setCategoriesOff(String email, Set<String> off, Instant at) {
        jdbc.sql("""
                        insert into outreach_preference (email, categories_off, updated_at) values (?, ?, ?)
                        on conflict (email) do update set categories_off = excluded.categories_off,
                                                          updated_at = excluded.updated_at""")
                .params(
                        email.strip().toLowerCase(Locale.ROOT),
                        new SqlArrayValue("text", new TreeSet<>(off).toArray()),
                        Timestamp.from(at))
                .update();
    }
}
