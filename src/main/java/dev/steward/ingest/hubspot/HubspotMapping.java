package dev.steward.ingest.hubspot;

import static dev.steward.ingest.sync.VendorFields.text;

import dev.steward.ingest.Source;
import dev.steward.ingest.csv.ImportTargets;
import dev.steward.ingest.hubspot.HubspotStore.Feed;
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
 * A HubSpot source's field mapping: per object (companies, contacts, deals) which property fills which Steward field
 * or custom field of the account, who wins, the properties HubSpot offers with the field each suggests, and a preview of
 * the first records read under it, nothing written.
 */
@Service
class HubspotMapping {

    static final String VENDOR = "HubSpot";

    /** The objects a HubSpot source maps, with what the connector reads of each by itself. */
    static final List<CrmObject> OBJECTS = List.of(
            new CrmObject(
                    Feed.companies.name(), "company", ImportTargets.Kind.accounts, List.of(standard("name", "name"))),
            new CrmObject(
                    Feed.contacts.name(),
                    "contact",
                    ImportTargets.Kind.contacts,
                    List.of(
                            standard("firstname + lastname", "name"),
                            standard("email", "email"),
                            standard("jobtitle", "title"),
                            standard("phone, else mobilephone", "phone"),
                            standard("hs_buying_role", "role"),
                            standard("createdate", "joinedAt"))),
            new CrmObject(
                    Feed.deals.name(),
                    "deal",
                    ImportTargets.Kind.opportunities,
                    List.of(
                            standard("dealname", "name"),
                            standard("dealtype", "type"),
                            standard("amount", "amount"),
                            standard("dealstage", "stage"),
                            standard("closedate", "closeDate"),
                            standard("createdate", "createdAt"))));

    private final HubspotStore store;
    private final HubspotApi api;
    private final CrmMappings mappings;
    private final CrmPreviews previews;
    private final FeedCursors cursors;
    private final PullSources pullSources;
    private final dev.steward.core.SecretBox secrets;

    HubspotMapping(
            HubspotStore store,
            HubspotApi api,
            CrmMappings mappings,
            CrmPreviews previews,
            FeedCursors cursors,
            PullSources pullSources,
            dev.steward.core.SecretBox secrets) {
        this.store = store;
        this.api = api;
        this.mappings = mappings;
        this.previews = previews;
        this.cursors = cursors;
        this.pullSources = pullSources;
        this.secrets = secrets;
    }

    /** The mapping of a feed's object as pulls apply it; null for the write-back, which reads nothing. */
    @Nullable
    FieldMapping mapping(UUID source, Feed feed) {
        return OBJECTS.stream()
                .filter(o -> o.name().equals(feed.name()))
                .findFirst()
                .map(o -> mappings.mapping(source, o))
                .orElse(null);
    }

    /** The source's mapping; with HubSpot's properties of each object ({@code properties}), each with its suggestion. */
    CrmMappings.MappingView get(String name, boolean properties) {
        Source source = source(name);
        PullConnections.Connection<HubspotStore.Settings> c =
                store.connection(source.id()).orElseThrow();
        Map<String, List<CrmMappings.VendorProperty>> offered = properties ? properties(source, c) : Map.of();
        return mappings.view(source.id(), source.name(), c.paused(), OBJECTS, offered);
    }

    /** Replaces the mapping of the objects given, checked against HubSpot's properties of each. */
    CrmMappings.MappingView save(String name, Map<String, List<CrmMappings.MappedField>> given) {
        Source source = source(name);
        PullConnections.Connection<HubspotStore.Settings> c =
                store.connection(source.id()).orElseThrow();
        mappings.save(source.id(), VENDOR, OBJECTS, given, CrmMappings.names(properties(source, c)));
        return get(name, false);
    }

    /** The first {@code limit} records of each object read under the mapping: what a pull would do; nothing written. */
    List<CrmPreviews.ObjectPreview> preview(String name, int limit) {
        Source source = source(name);
        PullConnections.Connection<HubspotStore.Settings> c =
                store.connection(source.id()).orElseThrow();
        HubspotStore.Settings settings = c.settings();
        String token = secrets.open(c.secret());
        VendorHttp.Calls calls = new VendorHttp.Calls();
        Map<String, String> pulled = cursors.all(source.id());
        List<CrmPreviews.ObjectPreview> answer = new ArrayList<>();
        CrmPreviews.ObjectPreview companies = null;
        for (CrmObject object : OBJECTS) {
            Feed feed = Feed.valueOf(object.name());
            FieldMapping mapping = mappings.mapping(source.id(), object);
            List<String> names = new ArrayList<>(HubspotRecords.properties(feed, settings.externalIdProperty()));
            mapping.properties().stream().filter(p -> !names.contains(p)).forEach(names::add);
            List<JsonNode> records = api.search(
                            source.id(), token, feed.name(), feed.modified(), null, names, null, calls)
                    .results();
            records = records.subList(0, Math.min(limit, records.size()));
            Map<String, String> dealCompanies = feed == Feed.deals
                    ? api.dealCompanies(
                            source.id(),
                            token,
                            records.stream().map(r -> r.path("id").asString("")).toList(),
                            calls)
                    : Map.of();
            List<CrmPreviews.Item> items = new ArrayList<>();
            for (JsonNode record : records) {
                items.add(item(feed, record, settings, mapping, dealCompanies));
            }
            if (feed == Feed.companies) {
                companies = previews.companies(source, settings.accountsSource(), object, mapping, items);
                answer.add(companies);
            } else {
                answer.add(previews.owned(source, object, pulled.containsKey(feed.name()), items, companies));
            }
        }
        return answer;
    }

    private static CrmPreviews.Item item(
            Feed feed,
            JsonNode record,
            HubspotStore.Settings settings,
            FieldMapping mapping,
            Map<String, String> dealCompanies) {
        String id = record.path("id").asString("?");
        try {
            id = HubspotRecords.id(record);
            JsonNode p = record.path("properties");
            switch (feed) {
                case companies -> {
                    HubspotRecords.Company company = HubspotRecords.company(record, settings.externalIdProperty());
                    if (record.path("archived").asBoolean(false)) {
                        return CrmPreviews.Item.skipped(id, "archived in HubSpot");
                    }
                    ObjectNode account = company.account();
                    mapping.apply(property -> text(p, property), account);
                    return CrmPreviews.Item.read(
                            id,
                            new AccountLinking.Candidate(company.id(), company.externalId(), company.domains()),
                            account);
                }
                case contacts -> {
                    HubspotRecords.ContactRead contact = HubspotRecords.contact(record);
                    if (contact.contact() == null) {
                        return CrmPreviews.Item.skipped(id, contact.why());
                    }
                    mapping.apply(property -> text(p, property), contact.contact());
                    return CrmPreviews.Item.read(id, null, contact.contact());
                }
                default -> {
                    HubspotRecords.DealRead deal = HubspotRecords.deal(record);
                    String company = dealCompanies.get(id);
                    if (deal.opportunity() == null) {
                        return CrmPreviews.Item.skipped(id, deal.why());
                    }
                    if (company == null) {
                        return CrmPreviews.Item.skipped(id, "of no company");
                    }
                    mapping.apply(property -> text(p, property), deal.opportunity());
                    return CrmPreviews.Item.read(id, null, deal.opportunity().put("accountExternalId", company));
                }
            }
        } catch (RecordRefused e) {
            return CrmPreviews.Item.rejected(id, e);
        }
    }

    /** HubSpot's properties of each object, each with the Steward field it suggests. */
    private Map<String, List<CrmMappings.VendorProperty>> properties(
            Source source, PullConnections.Connection<HubspotStore.Settings> c) {
        String token = secrets.open(c.secret());
        VendorHttp.Calls calls = new VendorHttp.Calls();
        Map<String, List<CrmMappings.VendorProperty>> offered = new LinkedHashMap<>();
        for (CrmObject o : OBJECTS) {
            List<CrmMappings.VendorProperty> list = new ArrayList<>();
            for (JsonNode p : api.properties(source.id(), token, o.name(), calls)) {
                String name = p.path("name").asString("");
                if (name.isBlank() || p.path("hidden").asBoolean(false)) {
                    continue;
                }
                String label = p.path("label").asString(name);
                boolean custom = !p.path("hubspotDefined").asBoolean(false);
                list.add(new CrmMappings.VendorProperty(
                        name, label, p.path("type").asString(""), custom, CrmMappings.suggest(o, name, label, custom)));
            }
            offered.put(o.name(), list);
        }
        return offered;
    }

    private Source source(String name) {
        return pullSources.source(name, Source.Kind.hubspot, "HubSpot source");
    }

    private static FieldMapping.Field standard(String property, String target) {
        return new FieldMapping.Field(property, target, Policy.crm, true);
    }
}
