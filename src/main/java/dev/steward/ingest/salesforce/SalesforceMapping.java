package dev.steward.ingest.salesforce;

import dev.steward.ingest.Source;
import dev.steward.ingest.csv.ImportTargets;
import dev.steward.ingest.salesforce.SalesforceStore.Feed;
import dev.steward.ingest.sync.AccountLinking;
import dev.steward.ingest.sync.CrmMappings;
import dev.steward.ingest.sync.CrmMappings.CrmObject;
import dev.steward.ingest.sync.CrmPreviews;
import dev.steward.ingest.sync.FeedCursors;
import dev.steward.ingest.sync.FieldMapping;
import dev.steward.ingest.sync.FieldMapping.Policy;
import dev.steward.ingest.sync.PullConnections;
import dev.steward.ingest.sync.PullSources;
import dev.steward.ingest.sync.RecordRefused;
import dev.steward.ingest.sync.VendorHttp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Salesforce source's field mapping: per object (Account, Contact, Opportunity) which field fills which Steward field
 * or custom field of the account, who wins, the fields Salesforce describes with the Steward field each suggests, and a
 * preview of the first records read under it, nothing written.
 */
@Service
class SalesforceMapping {

    static final String VENDOR = "Salesforce";

    /** The objects a Salesforce source maps (by feed), with what the connector reads of each by itself. */
    static final List<CrmObject> OBJECTS = List.of(
            new CrmObject(
                    Feed.accounts.name(),
                    "Account",
                    ImportTargets.Kind.accounts,
                    List.of(
                            standard("Name", "name"),
                            standard("Industry", "industry"),
                            standard("Website", "customFields.domain"),
                            standard("AnnualRevenue", "customFields.annual_revenue"))),
            new CrmObject(
                    Feed.contacts.name(),
                    "Contact",
                    ImportTargets.Kind.contacts,
                    List.of(
                            standard("FirstName + LastName", "name"),
                            standard("Email", "email"),
                            standard("Title", "title"),
                            standard("Phone, else MobilePhone", "phone"),
                            standard("CreatedDate", "joinedAt"))),
            new CrmObject(
                    Feed.opportunities.name(),
                    "Opportunity",
                    ImportTargets.Kind.opportunities,
                    List.of(
                            standard("Name", "name"),
                            standard("Type", "type"),
                            standard("Amount", "amount"),
                            standard("StageName, closed ones by IsWon", "stage"),
                            standard("CloseDate", "closeDate"),
                            standard("CreatedDate", "createdAt"))));

    private final SalesforceStore store;
    private final SalesforceApi api;
    private final SalesforceSources salesforce;
    private final CrmMappings mappings;
    private final CrmPreviews previews;
    private final FeedCursors cursors;
    private final PullSources pullSources;

    SalesforceMapping(
            SalesforceStore store,
            SalesforceApi api,
            SalesforceSources salesforce,
            CrmMappings mappings,
            CrmPreviews previews,
            FeedCursors cursors,
            PullSources pullSources) {
        this.store = store;
        this.api = api;
        this.salesforce = salesforce;
        this.mappings = mappings;
        this.previews = previews;
        this.cursors = cursors;
        this.pullSources = pullSources;
    }

    /** The mapping of a feed's object as pulls apply it; null for the write-back, which reads nothing. */
    static @Nullable FieldMapping mapping(CrmMappings mappings, UUID source, Feed feed) {
        return OBJECTS.stream()
                .filter(o -> o.name().equals(feed.name()))
                .findFirst()
                .map(o -> mappings.mapping(source, o))
                .orElse(null);
    }

    /** A query with the fields the mapping reads besides its own (API names, checked against the describe). */
    static String withFields(String soql, @Nullable FieldMapping mapping) {
        if (mapping == null) {
            return soql;
        }
        int from = soql.indexOf(" FROM ");
        List<String> selected = List.of(soql.substring("SELECT ".length(), from).split(", "));
        StringBuilder fields = new StringBuilder();
        for (String field : mapping.properties()) {
            if (!selected.contains(field)
                    && SalesforceRecords.FIELD.matcher(field).matches()) {
                fields.append(", ").append(field);
            }
        }
        return soql.substring(0, from) + fields + soql.substring(from);
    }

    /** A field's value as a text (a text, a number, a yes/no or a picklist); null when it has none. */
    static @Nullable String text(JsonNode record, String field) {
        JsonNode value = record.path(field);
        if (value.isNull() || value.isMissingNode() || value.isContainer()) {
            return null;
        }
        String text = value.isString() ? value.asString() : value.toString();
        return text.isBlank() ? null : text.strip();
    }

    CrmMappings.MappingView get(String name, boolean properties) {
        Source source = source(name);
        PullConnections.Connection<SalesforceStore.Settings> c =
                store.connection(source.id()).orElseThrow();
        Map<String, List<CrmMappings.VendorProperty>> offered = properties ? properties(name) : Map.of();
        return mappings.view(source.id(), source.name(), c.paused(), OBJECTS, offered);
    }

    /** Replaces the mapping of the objects given, checked against the fields Salesforce describes of each. */
    CrmMappings.MappingView save(String name, Map<String, List<CrmMappings.MappedField>> given) {
        Source source = source(name);
        mappings.save(source.id(), VENDOR, OBJECTS, given, CrmMappings.names(properties(name)));
        return get(name, false);
    }

    /** The first {@code limit} records of each object read under the mapping: what a pull would do; nothing written. */
    List<CrmPreviews.ObjectPreview> preview(String name, int limit) {
        Source source = source(name);
        SalesforceStore.Settings settings =
                store.connection(source.id()).orElseThrow().settings();
        SalesforceApi.Org org = salesforce.org(name);
        VendorHttp.Calls calls = new VendorHttp.Calls();
        Map<String, String> pulled = cursors.all(source.id());
        List<CrmPreviews.ObjectPreview> answer = new ArrayList<>();
        CrmPreviews.ObjectPreview accounts = null;
        for (CrmObject object : OBJECTS) {
            Feed feed = Feed.valueOf(object.name());
            FieldMapping mapping = mappings.mapping(source.id(), object);
            String soql = withFields(
                            SalesforceRecords.soql(feed, null, false, settings.externalIdField(), settings.roleField()),
                            mapping)
                    + " LIMIT " + limit;
            List<CrmPreviews.Item> items = new ArrayList<>();
            for (JsonNode record : api.query(org, soql, false, calls).records()) {
                items.add(item(feed, record, settings, mapping));
            }
            if (feed == Feed.accounts) {
                accounts = previews.companies(source, settings.accountsSource(), object, mapping, items);
                answer.add(accounts);
            } else {
                answer.add(previews.owned(source, object, pulled.containsKey(feed.name()), items, accounts));
            }
        }
        return answer;
    }

    private static CrmPreviews.Item item(
            Feed feed, JsonNode record, SalesforceStore.Settings settings, FieldMapping mapping) {
        String id = record.path("Id").asString("?");
        try {
            switch (feed) {
                case accounts -> {
                    SalesforceRecords.Company company = SalesforceRecords.company(record, settings.externalIdField());
                    ObjectNode account = company.account();
                    mapping.apply(field -> text(record, field), account);
                    return CrmPreviews.Item.read(
                            company.id(),
                            new AccountLinking.Candidate(company.id(), company.externalId(), company.domains()),
                            account);
                }
                case contacts -> {
                    SalesforceRecords.Read contact = SalesforceRecords.contact(record, settings.roleField());
                    return read(contact, record, mapping);
                }
                default -> {
                    return read(SalesforceRecords.opportunity(record), record, mapping);
                }
            }
        } catch (RecordRefused e) {
            return CrmPreviews.Item.rejected(id, e);
        }
    }

    private static CrmPreviews.Item read(SalesforceRecords.Read read, JsonNode record, FieldMapping mapping) {
        if (read.record() == null) {
            return CrmPreviews.Item.skipped(read.id(), read.why());
        }
        mapping.apply(field -> text(record, field), read.record());
        return CrmPreviews.Item.read(read.id(), null, read.record());
    }

    /** The fields Salesforce describes of each object, each with the Steward field it suggests. */
    private Map<String, List<CrmMappings.VendorProperty>> properties(String name) {
        SalesforceApi.Org org = salesforce.org(name);
        VendorHttp.Calls calls = new VendorHttp.Calls();
        Map<String, List<CrmMappings.VendorProperty>> offered = new LinkedHashMap<>();
        for (CrmObject o : OBJECTS) {
            List<CrmMappings.VendorProperty> list = new ArrayList<>();
            JsonNode described = api.describe(org, Feed.valueOf(o.name()).object(), calls);
            for (JsonNode f : described.path("fields")) {
                String field = f.path("name").asString("");
                if (field.isBlank()) {
                    continue;
                }
                String label = f.path("label").asString(field);
                boolean custom = f.path("custom").asBoolean(false);
                list.add(new CrmMappings.VendorProperty(
                        field,
                        label,
                        f.path("type").asString(""),
                        custom,
                        CrmMappings.suggest(o, field, label, custom)));
            }
            offered.put(o.name(), list);
        }
        return offered;
    }

    private Source source(String name) {
        return pullSources.source(name, Source.Kind.salesforce, "Salesforce source");
    }

    private static FieldMapping.Field standard(String property, String target) {
        return new FieldMapping.Field(property, target, Policy.crm, true);
    }
}
