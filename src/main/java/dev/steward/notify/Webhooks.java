package dev.steward.notify;

import dev.steward.core.FieldError;
import dev.steward.core.Ids;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The webhook endpoints administrators register: checked on every change, listed, removed. */
@Service
class Webhooks {

    static final int MAX_URL = 2000;
    static final int MAX_KINDS = 50;
    static final int MAX_DESCRIPTION = 200;
    static final int MIN_SECRET = 16;
    static final int MAX_SECRET = 200;
    static final Pattern KIND = Pattern.compile("\\*|[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*(\\.\\*)?");

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS = "id, url, secret, kinds, description, enabled, created_at, updated_at";

    private final JdbcClient jdbc;
    private final Clock clock;

    Webhooks(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    List<WebhookEndpoint> list() {
        return jdbc.sql("select " + COLUMNS + " from notify_webhook order by created_at, id")
                .query(Webhooks::map)
                .list();
    }

    WebhookEndpoint get(UUID id) {
        return find(id).orElseThrow(() -> new NotFoundException("webhook endpoint", id));
    }

    Optional<WebhookEndpoint> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from notify_webhook where id = ?")
                .param(id)
                .query(Webhooks::map)
                .optional();
    }

    /** The enabled endpoints that want events of this kind. */
    List<WebhookEndpoint> subscribedTo(String kind) {
        return jdbc
                .sql("select " + COLUMNS + " from notify_webhook where enabled order by created_at, id")
                .query(Webhooks::map)
                .list()
                .stream()
                .filter(endpoint -> endpoint.wants(kind))
                .toList();
    }

    @Transactional
    CreatedWebhook create(WebhookRequest request) {
        Checked checked = check(request, true);
        String secret = checked.secret() != null ? checked.secret() : newSecret();
        Instant now = clock.instant();
        UUID id = Ids.newId();
        jdbc.sql("""
                        insert into notify_webhook (id, url, secret, kinds, description, enabled, created_at, updated_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                .params(
                        id,
                        checked.url(),
                        secret,
                        new SqlArrayValue("text", checked.kinds().toArray()),
                        checked.description(),
                        checked.enabled(),
                        Timestamp.from(now),
                        Timestamp.from(now))
                .update();
        return new CreatedWebhook(get(id), secret);
    }

    @Transactional
    WebhookEndpoint update(UUID id, WebhookRequest request) {
        WebhookEndpoint current = get(id);
        Checked checked = check(request, false);
        jdbc.sql("""
                        update notify_webhook
                           set url = ?, secret = ?, kinds = ?, description = ?, enabled = ?, updated_at = ?
                         where id = ?
                        """)
                .params(
                        checked.url(),
                        checked.secret() != null ? checked.secret() : current.secret(),
                        new SqlArrayValue("text", checked.kinds().toArray()),
                        checked.description(),
                        checked.enabled(),
                        Timestamp.from(clock.instant()),
                        id)
                .update();
        return get(id);
    }

    /** Removes the endpoint and whatever was still to be delivered to it. */
    void delete(UUID id) {
        if (jdbc.sql("delete from notify_webhook where id = ?").param(id).update() == 0) {
            throw new NotFoundException("webhook endpoint", id);
        }
    }

    private record Checked(String url, List<String> kinds, String description, boolean enabled, String secret) {}

    private static Checked check(WebhookRequest request, boolean creating) {
        List<FieldError> errors = new ArrayList<>();
        String url = request.url() == null ? "" : request.url().strip();
        String urlProblem = urlProblem(url);
        if (urlProblem != null) {
            errors.add(FieldError.of("url", urlProblem));
        }
        List<String> kinds = request.kinds() == null
                ? List.of()
                : request.kinds().stream()
                        .map(kind -> kind == null ? "" : kind.strip())
                        .distinct()
                        .toList();
        if (kinds.isEmpty()) {
            errors.add(FieldError.of("kinds", "name at least one kind (cta.escalated), prefix (cta.*) or * for all"));
        } else if (kinds.size() > MAX_KINDS) {
            errors.add(FieldError.of("kinds", "at most " + MAX_KINDS + " entries"));
        }
        for (int i = 0; i < kinds.size() && i < MAX_KINDS; i++) {
            if (!KIND.matcher(kinds.get(i)).matches() || kinds.get(i).length() > Notification.MAX_KIND) {
                errors.add(FieldError.of(
                        "kinds[" + i + "]",
                        "'" + kinds.get(i) + "' is not a kind (cta.escalated), a prefix (cta.*) or *"));
            }
        }
        String description =
                request.description() == null ? "" : request.description().strip();
        if (description.length() > MAX_DESCRIPTION) {
            errors.add(FieldError.of("description", "at most " + MAX_DESCRIPTION + " characters"));
        }
        String secret = request.secret() == null || request.secret().isEmpty() ? null : request.secret();
        if (secret != null && (secret.length() < MIN_SECRET || secret.length() > MAX_SECRET || secret.isBlank())) {
            errors.add(FieldError.of(
                    "secret", MIN_SECRET + " to " + MAX_SECRET + " characters, or leave it out to have one generated"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Checked(
                url,
                List.copyOf(new LinkedHashSet<>(kinds)),
                description,
                request.enabled() == null || request.enabled(),
                secret);
    }

    /** Why this is not a URL deliveries can be POSTed to, or null when it is one. */
    static String urlProblem(String url) {
        if (url.isEmpty()) {
            return "is required: the http or https address deliveries are POSTed to";
        }
        if (url.length() > MAX_URL) {
            return "is longer than " + MAX_URL + " characters";
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "is not a URL: " + e.getReason();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "must start with http:// or https://, not '"
                    + (uri.getScheme() == null ? url : uri.getScheme() + ":") + "'";
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            return "has no host name";
        }
        if (uri.getRawUserInfo() != null) {
            return "must not carry a user name or password; the signature proves who sends";
        }
        if (uri.getRawFragment() != null) {
            return "must not have a #fragment";
        }
        return null;
    }

    private static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static WebhookEndpoint map(ResultSet rs, int row) throws SQLException {
        return new WebhookEndpoint(
                rs.getObject("id", UUID.class),
                rs.getString("url"),
                List.of((String[]) rs.getArray("kinds").getArray()),
                rs.getString("description"),
                rs.getBoolean("enabled"),
                rs.getString("secret"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
