package dev.steward.ingest.hubspot;

import static dev.steward.ingest.sync.VendorFields.clip;
import static dev.steward.ingest.sync.VendorFields.day;
import static dev.steward.ingest.sync.VendorFields.isoTime;
import static dev.steward.ingest.sync.VendorFields.text;

import dev.steward.ingest.sync.RecordRefused;
import dev.steward.ingest.sync.VendorFields;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * How HubSpot's companies, contacts and deals (CRM v3 objects: an {@code id}, its {@code properties} as texts, {@code
 * archived}) read as Steward's accounts, contacts and opportunities; plain Java, so that every rule of the mapping can
 * be checked without a server. A record that cannot be read (no id, a time that is no time, an amount that is no
 * amount) is refused naming the property.
 */
final class HubspotRecords {

    /** HubSpot's record ids: whole numbers, sent as texts. */
    private static final Pattern ID = Pattern.compile("[0-9]{1,20}");

    private HubspotRecords() {}

    /**
     * A company as Steward reads it: its id, name, the customer's own id for it (a property), its domain (lower case,
     * none or one) and its parent company's id.
     */
    record Company(
            String id,
            String name,
            @Nullable String externalId,
            List<String> domains,
            @Nullable String parentId) {

        /** The account record of a company Steward created the account of: its name. */
        ObjectNode account() {
            ObjectNode record = JsonNodeFactory.instance.objectNode();
            record.put("externalId", id);
            record.put("name", name);
            return record;
        }
    }

    /** A contact as read: the contact record, or null with why it is not one. */
    record ContactRead(String id, @Nullable ObjectNode contact, String why) {}

    /** A deal as read: the opportunity record without its account (the deal's company is read apart), or null. */
    record DealRead(String id, @Nullable ObjectNode opportunity, String why) {}

    /** The properties Steward asks HubSpot for, per object; {@code externalIdProperty} added to the companies'. */
    static List<String> properties(HubspotStore.Feed feed, @Nullable String externalIdProperty) {
        List<String> names = new ArrayList<>(
                switch (feed) {
                    case companies ->
                        List.of(
                                "name",
                                "domain",
                                "website",
                                "hs_parent_company_id",
                                "createdate",
                                "hs_lastmodifieddate");
                    case contacts ->
                        List.of(
                                "firstname",
                                "lastname",
                                "email",
                                "phone",
                                "mobilephone",
                                "jobtitle",
                                "hs_buying_role",
                                "associatedcompanyid",
                                "createdate",
                                "lastmodifieddate");
                    case deals ->
                        List.of(
                                "dealname",
                                "amount",
                                "closedate",
                                "dealstage",
                                "pipeline",
                                "dealtype",
                                "createdate",
                                "hs_lastmodifieddate");
                    case write_back -> List.of();
                });
        if (feed == HubspotStore.Feed.companies && externalIdProperty != null && !names.contains(externalIdProperty)) {
            names.add(externalIdProperty);
        }
        return names;
    }

    /**
     * When a record was last changed: its object's last-modified property ({@code lastmodifieddate} of a contact,
     * {@code hs_lastmodifieddate} of the others), else its {@code updatedAt}.
     */
    static @Nullable Instant modified(JsonNode record, String property) {
        Instant at = isoTime(record.path("properties"), property);
        return at != null ? at : isoTime(record, "updatedAt");
    }

    /** A company; {@code externalIdProperty} names the property that holds the customer's own id for it (null: none). */
    static Company company(JsonNode company, @Nullable String externalIdProperty) {
        String id = id(company);
        JsonNode p = company.path("properties");
        isoTime(p, "createdate");
        isoTime(p, "hs_lastmodifieddate");
        String name = text(p, "name");
        String externalId = externalIdProperty == null ? null : text(p, externalIdProperty);
        List<String> domains = new ArrayList<>();
        String domain = domain(text(p, "domain"));
        if (domain == null) {
            domain = domain(text(p, "website"));
        }
        if (domain != null) {
            domains.add(domain);
        }
        String parent = text(p, "hs_parent_company_id");
        if (parent != null && !ID.matcher(parent).matches()) {
            throw new RecordRefused("hs_parent_company_id", parent, "is not a HubSpot company id (a whole number)");
        }
        return new Company(
                id,
                clip(name == null ? domain == null ? "HubSpot company " + id : domain : name, 200),
                externalId == null ? null : clip(externalId, 200),
                domains,
                id.equals(parent) ? null : parent);
    }

    /**
     * A contact as a contact of its primary company's account ({@code associatedcompanyid}): one of no company belongs
     * to no account, and an archived one is no contact. Its role comes from its buying role when HubSpot has one
     * ({@code hs_buying_role}, several separated by {@code ;}: the first Steward knows wins), its title from its job
     * title; joined on the day it was created.
     */
    static ContactRead contact(JsonNode contact) {
        String id = id(contact);
        JsonNode p = contact.path("properties");
        Instant created = isoTime(p, "createdate");
        isoTime(p, "lastmodifieddate");
        if (contact.path("archived").asBoolean(false)) {
            return new ContactRead(id, null, "archived in HubSpot");
        }
        String company = text(p, "associatedcompanyid");
        if (company == null) {
            return new ContactRead(id, null, "of no company");
        }
        if (!ID.matcher(company).matches()) {
            throw new RecordRefused("associatedcompanyid", company, "is not a HubSpot company id (a whole number)");
        }
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        record.put("externalId", id);
        record.put("accountExternalId", company);
        String email = text(p, "email");
        String first = text(p, "firstname");
        String last = text(p, "lastname");
        String name = first == null ? last : last == null ? first : first + " " + last;
        record.put("name", clip(name != null ? name : email != null ? email : "HubSpot contact " + id, 200));
        record.put("email", email);
        String phone = text(p, "phone");
        if (phone == null) {
            phone = text(p, "mobilephone");
        }
        record.put("phone", phone == null ? null : clip(phone, 50));
        String title = text(p, "jobtitle");
        record.put("title", title == null ? null : clip(title, 200));
        String role = role(text(p, "hs_buying_role"));
        if (role != null) {
            record.put("role", role);
        }
        if (created != null) {
            record.put("joinedAt", day(created).toString());
        }
        return new ContactRead(id, record, "");
    }

    /**
     * A deal as an opportunity: its name, amount, close date (the day, UTC), stage ({@code dealstage}; the default
     * pipeline's {@code closedwon} and {@code closedlost} as Steward's {@code closed_won} and {@code closed_lost}) and
     * type ({@link #type}). An archived deal is no opportunity.
     */
    static DealRead deal(JsonNode deal) {
        String id = id(deal);
        JsonNode p = deal.path("properties");
        Instant created = isoTime(p, "createdate");
        isoTime(p, "hs_lastmodifieddate");
        Instant close = isoTime(p, "closedate");
        if (deal.path("archived").asBoolean(false)) {
            return new DealRead(id, null, "archived in HubSpot");
        }
        String stage = text(p, "dealstage");
        if (stage == null) {
            throw new RecordRefused("dealstage", null, "is missing");
        }
        BigDecimal amount = amount(text(p, "amount"));
        String name = text(p, "dealname");
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        record.put("externalId", id);
        record.put("name", clip(name == null ? "HubSpot deal " + id : name, 200));
        record.put("type", type(text(p, "dealtype")));
        record.put("amount", amount);
        record.put(
                "stage",
                switch (stage) {
                    case "closedwon" -> "closed_won";
                    case "closedlost" -> "closed_lost";
                    default -> clip(stage, 100);
                });
        record.put("closeDate", close == null ? null : day(close).toString());
        if (created != null) {
            record.put("createdAt", created.toString());
        }
        return new DealRead(id, record, "");
    }

    /**
     * A deal's type as an opportunity's: HubSpot's {@code newbusiness} is {@code new} and {@code existingbusiness}
     * (more business from a customer) {@code expansion}; a custom type that names a renewal is {@code renewal}, one
     * that names an expansion, upsell or cross-sell {@code expansion}; none, or any other, {@code new}.
     */
    static String type(@Nullable String dealtype) {
        if (dealtype == null) {
            return "new";
        }
        String type = dealtype.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        if (type.contains("renew")) {
            return "renewal";
        }
        if (type.equals("existingbusiness")
                || type.contains("expansion")
                || type.contains("upsell")
                || type.contains("crosssell")) {
            return "expansion";
        }
        return "new";
    }

    /** A buying role as Steward's contact role; null when HubSpot names none Steward keeps. */
    static @Nullable String role(@Nullable String buyingRoles) {
        if (buyingRoles == null) {
            return null;
        }
        for (String role : buyingRoles.split(";")) {
            String known = switch (role.strip().toUpperCase(Locale.ROOT)) {
                case "CHAMPION" -> "champion";
                case "EXECUTIVE_SPONSOR", "DECISION_MAKER", "BUDGET_HOLDER" -> "executive_sponsor";
                case "END_USER" -> "end_user";
                default -> null;
            };
            if (known != null) {
                return known;
            }
        }
        return "other";
    }

    private static @Nullable BigDecimal amount(@Nullable String amount) {
        if (amount == null) {
            return null;
        }
        try {
            BigDecimal value = new BigDecimal(amount.replace(",", ""));
            if (value.signum() < 0 || value.precision() - value.scale() > 12) {
                throw new RecordRefused("amount", amount, "is not an amount Steward keeps (0 to 999,999,999,999.99)");
            }
            return value.setScale(2, RoundingMode.HALF_UP);
        } catch (NumberFormatException e) {
            throw new RecordRefused("amount", amount, "is not a number");
        }
    }

    /** A domain as CompanyMatches compares them: lower case, without scheme, {@code www.} or path; null when none. */
    static @Nullable String domain(@Nullable String given) {
        return VendorFields.domain(given);
    }

    static String id(JsonNode record) {
        JsonNode id = record.path("id");
        if (id.isMissingNode() || id.isNull()) {
            throw new RecordRefused("id", null, "is missing");
        }
        String value = id.isIntegralNumber() ? Long.toString(id.asLong()) : id.asString("");
        if (!ID.matcher(value).matches()) {
            throw new RecordRefused("id", id.toString(), "is not a HubSpot id (a whole number)");
        }
        return value;
    }
}
