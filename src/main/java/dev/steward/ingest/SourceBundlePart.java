package dev.steward.ingest;

import dev.steward.core.ConflictException;
import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.identity.ConfigurationPart;
import dev.steward.ingest.warehouse.WarehouseStore;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Data sources in a configuration bundle, after the metric catalog their mappings name: each source's kind, the
 * settings its kind keeps (a Segment source's event mapping, what group calls may change), how it is reached and how
 * often it is pulled (a warehouse's address, a Zendesk subdomain…), its saved CSV column mappings and its warehouse
 * feeds — never a secret. Write keys, signing secrets, API keys and passwords stay where they are: a source a bundle
 * creates has none, so its pulls are paused until someone enters its credentials on the data sources page. What a
 * source has pulled so far (cursors, watermarks, runs) is state, not configuration, and is not carried either.
 */
@Configuration(proxyBeanMethods = false)
class SourceBundlePart {

    /** Fields of a source's document. */
    private static final Set<String> FIELDS =
            Set.of("kind", "expectedIntervalHours", "settings", "connection", "csvMappings", "warehouseFeeds");

    /** Query parameters that carry a secret in an address, removed from exported connection settings. */
    private static final Pattern SECRET_PARAMETER =
            Pattern.compile("(?i)(?<=[?&;])(password|secret|token|apikey|api_key)=[^&;]*[&;]?");

    @Bean
    ConfigurationPart sourcesBundlePart(
            JdbcClient jdbc,
            ObjectMapper json,
            Sources sources,
            SourceAdministration administration,
            WarehouseStore warehouse,
            Clock clock) {
        SourceDocuments documents = new SourceDocuments(jdbc, json, sources, administration, warehouse, clock);
        return ConfigurationPart.of(
                "sources", 2, documents::published, (name, yaml, author) -> documents.apply(name, yaml));
    }

    /** Reads sources into documents and applies documents to sources. */
    static final class SourceDocuments {

        private final JdbcClient jdbc;
        private final ObjectMapper json;
        private final Sources sources;
        private final SourceAdministration administration;
        private final WarehouseStore warehouse;
        private final Clock clock;

        SourceDocuments(
                JdbcClient jdbc,
                ObjectMapper json,
                Sources sources,
                SourceAdministration administration,
                WarehouseStore warehouse,
                Clock clock) {
            this.warehouse = warehouse;
            this.jdbc = jdbc;
            this.json = json;
            this.sources = sources;
            this.administration = administration;
            this.clock = clock;
        }

        Map<String, String> published() {
            Map<String, String> documents = new TreeMap<>();
            for (Source source : sources.all()) {
                documents.put(source.name(), write(document(source)));
            }
            return documents;
        }

        private Map<String, Object> document(Source source) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("kind", source.kind().name());
            if (source.expectedIntervalHours() != null) {
                document.put("expectedIntervalHours", source.expectedIntervalHours());
            }
            Object settings = plain(source.settings());
            if (settings instanceof Map<?, ?> map && !map.isEmpty()) {
                document.put("settings", settings);
            }
            jdbc.sql("select settings, every_minutes from ingest_pull_connection where source_id = ?")
                    .param(source.id())
                    .query((rs, n) -> {
                        Map<String, Object> connection = new LinkedHashMap<>();
                        connection.put("everyMinutes", rs.getInt(2));
                        connection.put("settings", withoutSecrets(plain(json.readTree(rs.getString(1)))));
                        return connection;
                    })
                    .optional()
                    .ifPresent(connection -> document.put("connection", connection));
            Map<String, Object> mappings = new LinkedHashMap<>();
            jdbc.sql("select entity, mapping from ingest_csv_mapping where source_id = ? order by entity")
                    .param(source.id())
                    .query((rs, n) -> mappings.put(rs.getString(1), plain(json.readTree(rs.getString(2)))))
                    .list();
            if (!mappings.isEmpty()) {
                document.put("csvMappings", mappings);
            }
            Map<String, Object> feeds = new LinkedHashMap<>();
            jdbc.sql("""
                            select name, query, entity, mapping, accounts_source, watermark_column
                            from ingest_warehouse_feed where source_id = ? order by name""")
                    .param(source.id())
                    .query((rs, n) -> {
                        Map<String, Object> feed = new LinkedHashMap<>();
                        feed.put("query", rs.getString(2));
                        feed.put("entity", rs.getString(3));
                        feed.put("mapping", plain(json.readTree(rs.getString(4))));
                        if (rs.getString(5) != null) {
                            feed.put("accountsSource", rs.getString(5));
                        }
                        if (rs.getString(6) != null) {
                            feed.put("watermarkColumn", rs.getString(6));
                        }
                        return feeds.put(rs.getString(1), feed);
                    })
                    .list();
            if (!feeds.isEmpty()) {
                document.put("warehouseFeeds", feeds);
            }
            return document;
        }

        void apply(String name, String yaml) {
            Map<?, ?> document = read(yaml);
            List<FieldError> errors = new ArrayList<>();
            for (Object field : document.keySet()) {
                if (!FIELDS.contains(String.valueOf(field))) {
                    errors.add(FieldError.of(String.valueOf(field), "is not a field of a source " + FIELDS));
                }
            }
            Source.Kind kind = null;
            try {
                kind = Source.Kind.valueOf(String.valueOf(document.get("kind")));
            } catch (IllegalArgumentException e) {
                errors.add(FieldError.of(
                        "kind", "'" + document.get("kind") + "' is not one of " + List.of(Source.Kind.values())));
            }
            Integer interval =
                    integer(document.get("expectedIntervalHours"), "expectedIntervalHours", 1, 100_000, errors);
            JsonNode settings =
                    json.valueToTree(document.get("settings") == null ? Map.of() : document.get("settings"));
            if (!settings.isObject()) {
                errors.add(FieldError.of("settings", "must be a mapping"));
            } else if (kind != null && kind.tracksEvents()) {
                administration
                        .settingsProblems(settings)
                        .forEach(e -> errors.add(FieldError.of("settings." + e.field(), e.reason())));
            }
            Map<?, ?> connection = mapping(document.get("connection"), "connection", errors);
            Integer every = connection == null
                    ? null
                    : integer(connection.get("everyMinutes"), "connection.everyMinutes", 5, 10_080, errors);
            Map<?, ?> connectionSettings =
                    connection == null ? null : mapping(connection.get("settings"), "connection.settings", errors);
            if (connection != null && (every == null || connectionSettings == null)) {
                errors.add(FieldError.of("connection", "needs everyMinutes and settings"));
            }
            Map<?, ?> mappings = mapping(document.get("csvMappings"), "csvMappings", errors);
            if (mappings != null) {
                mappings.forEach((entity, mapping) -> mapping(mapping, "csvMappings." + entity, errors));
            }
            Map<?, ?> feeds = mapping(document.get("warehouseFeeds"), "warehouseFeeds", errors);
            if (feeds != null) {
                feeds.forEach((feed, value) ->
                        checkFeed(String.valueOf(feed), mapping(value, "warehouseFeeds." + feed, errors), errors));
            }
            Source here = sources.find(name).orElse(null);
            if (here != null && kind != null && here.kind() != kind) {
                throw ConflictException.of("source '" + name + "' is a " + here.kind() + " source here; a bundle cannot"
                        + " make it a " + kind + " source (rename one of them)");
            }
            if (!errors.isEmpty()) {
                throw new InvalidInputException(errors);
            }
            Source source = here == null
                    ? administration.create(new SourceAdministration.NewSource(name, kind, settings, interval))
                    : sources.updateSettings(name, settings);
            jdbc.sql("update ingest_source set expected_interval_hours = ? where id = ?")
                    .params(interval, source.id())
                    .update();
            if (connection != null) {
                saveConnection(source.id(), json.valueToTree(connectionSettings), every);
            }
            if (mappings != null) {
                mappings.forEach((entity, mapping) -> jdbc.sql("""
                                insert into ingest_csv_mapping (source_id, entity, mapping, updated_at)
                                values (?, ?, ?::jsonb, ?)
                                on conflict (source_id, entity) do update set mapping = excluded.mapping,
                                                                              updated_at = excluded.updated_at""")
                        .params(source.id(), String.valueOf(entity), json.writeValueAsString(mapping), now())
                        .update());
            }
            if (feeds != null) {
                feeds.forEach((feed, value) -> saveFeed(source.id(), String.valueOf(feed), (Map<?, ?>) value));
            }
        }

        /**
         * A connection the bundle changes keeps its secret and schedule; one it creates has no secret and is paused
         * until its credentials are entered.
         */
        private void saveConnection(UUID source, JsonNode settings, int every) {
            int changed = jdbc.sql("""
                            update ingest_pull_connection set settings = cast(? as jsonb), every_minutes = ?
                            where source_id = ?""")
                    .params(json.writeValueAsString(settings), every, source)
                    .update();
            if (changed == 0) {
                jdbc.sql("""
                                insert into ingest_pull_connection (source_id, settings, secret, every_minutes, paused,
                                                                    next_sync_at, checked_at)
                                values (?, cast(? as jsonb), null, ?, true, null, ?)""")
                        .params(source, json.writeValueAsString(settings), every, now())
                        .update();
            }
        }

        private void saveFeed(UUID source, String name, Map<?, ?> feed) {
            warehouse.saveFeed(
                    source,
                    name,
                    String.valueOf(feed.get("query")),
                    String.valueOf(feed.get("entity")),
                    json.valueToTree(feed.get("mapping")),
                    text(feed.get("accountsSource")),
                    text(feed.get("watermarkColumn")),
                    clock.instant());
        }

        private static void checkFeed(String name, @Nullable Map<?, ?> feed, List<FieldError> errors) {
            String field = "warehouseFeeds." + name;
            if (!name.matches("[a-z0-9][a-z0-9_.-]{0,62}")) {
                errors.add(FieldError.of(field, "is not a feed name: lower case letters, digits, '_', '.' and '-'"));
            }
            if (feed == null) {
                return;
            }
            Object query = feed.get("query");
            if (!(query instanceof String text) || text.isBlank() || text.length() > 20_000) {
                errors.add(FieldError.of(field + ".query", "must be the feed's SQL, 1 to 20,000 characters"));
            }
            if (!(feed.get("entity") instanceof String)) {
                errors.add(FieldError.of(field + ".entity", "is required: what the rows become"));
            }
            if (!(feed.get("mapping") instanceof Map<?, ?>)) {
                errors.add(FieldError.of(field + ".mapping", "must be a mapping of the rows' columns"));
            }
        }

        private Timestamp now() {
            return Timestamp.from(clock.instant());
        }

        private @Nullable Object plain(JsonNode node) {
            return json.convertValue(node, Object.class);
        }

        /** Connection settings as exported: an address's password or token parameter is left out. */
        @SuppressWarnings("unchecked")
        private static @Nullable Object withoutSecrets(@Nullable Object value) {
            if (value instanceof Map<?, ?> map) {
                Map<String, Object> copy = new LinkedHashMap<>();
                ((Map<String, Object>) map).forEach((key, v) -> copy.put(key, withoutSecrets(v)));
                return copy;
            }
            if (value instanceof String text) {
                String without = SECRET_PARAMETER.matcher(text).replaceAll("");
                return without.equals(text) ? text : without.replaceAll("[?&;]$", "");
            }
            return value;
        }

        private static String write(Map<String, Object> document) {
            DumperOptions options = new DumperOptions();
            options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
            options.setWidth(Integer.MAX_VALUE);
            options.setSplitLines(false);
            return new Yaml(options).dump(document);
        }

        private static Map<?, ?> read(String yaml) {
            Object root;
            try {
                root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
            } catch (YAMLException e) {
                throw new InvalidInputException(
                        "source", "is not YAML: " + e.getMessage().replace('\n', ' '));
            }
            if (!(root instanceof Map<?, ?> map)) {
                throw new InvalidInputException("source", "must be a mapping with at least its kind");
            }
            return map;
        }

        private static @Nullable Map<?, ?> mapping(@Nullable Object value, String field, List<FieldError> errors) {
            if (value == null) {
                return null;
            }
            if (value instanceof Map<?, ?> map) {
                return map;
            }
            errors.add(FieldError.of(field, "must be a mapping"));
            return null;
        }

        private static @Nullable Integer integer(
                @Nullable Object value, String field, int min, int max, List<FieldError> errors) {
            if (value == null) {
                return null;
            }
            if (value instanceof Integer number && number >= min && number <= max) {
                return number;
            }
            errors.add(FieldError.of(field, "must be a whole number from " + min + " to " + max + "; was " + value));
            return null;
        }

        private static @Nullable String text(@Nullable Object value) {
            return value == null ? null : String.valueOf(value);
        }
    }
}
