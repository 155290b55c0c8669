package dev.steward.ingest.salesforce;

import static dev.steward.ingest.sync.VendorFields.clip;
import static dev.steward.ingest.sync.VendorFields.day;
import static dev.steward.ingest.sync.VendorFields.text;

import dev.steward.ingest.salesforce.SalesforceStore.Feed;
import dev.steward.ingest.sync.RecordRefused;
import dev.steward.ingest.sync.VendorFields;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * How Salesforce's Account, Contact and Opportunity records (as its REST API's SOQL queries answer them: fields by
 * their API names, times as {@code 2026-03-01T10:00:00.000+0000}) read as Steward's accounts, contacts and
 * opportunities, and the SOQL that asks for them; plain Java, so that every rule of the mapping can be checked without
 * a server. A record that cannot be read (no id, a time that is no time, an amount that is no amount) is refused
 * naming the field.
 */
final class SalesforceRecords {

    /** Salesforce record ids: 15 or 18 letters and digits. */
    private static final Pattern ID = Pattern.compile("[a-zA-Z0-9]{15}|[a-zA-Z0-9]{18}");

    /** A field's API name: a standard field, or a custom one ({@code Crm_Id__c}). */
    static final Pattern FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,79}");

    /** A SOQL datetime literal, to the second (SystemModstamp's precision). */
    private static final DateTimeFormatter SOQL_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'");

    /** Salesforce's datetimes in JSON: {@code 2026-03-01T10:00:00.000+0000}. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss[.SSS]XX");

    private SalesforceRecords() {}

    /** An Account as read: its id, name, the customer's own id for it (a field), its domain, its parent's id. */
    record Company(
            String id,
            String name,
            @Nullable String externalId,
            List<String> domains,
            @Nullable String parentId,
            @Nullable String industry,
            @Nullable BigDecimal annualRevenue) {

        /** The account record of an Account Steward created the account of. */
        ObjectNode account() {
            ObjectNode record = JsonNodeFactory.instance.objectNode();
            record.put("externalId", id);
            record.put("name", name);
            if (industry != null) {
                record.put("industry", clip(industry, 100));
            }
            ObjectNode custom = JsonNodeFactory.instance.objectNode();
            if (!domains.isEmpty()) {
                custom.put("domain", domains.get(0));
            }
            if (annualRevenue != null) {
                custom.put("annual_revenue", annualRevenue);
            }
            if (!custom.isEmpty()) {
                record.set("customFields", custom);
            }
            return record;
        }
    }

    /** A record as read: what Steward writes of it (null: nothing, with why). */
    record Read(String id, @Nullable ObjectNode record, String why) {}

    /**
     * The query of a feed: its fields (the external id field and the role field added where given), the records
     * changed after {@code after} (null: every one), oldest change first; {@code IsDeleted} asked for when the query
     * reads deleted records too ({@code queryAll}).
     */
    static String soql(
            Feed feed,
            @Nullable Instant after,
            boolean withDeleted,
            @Nullable String externalIdField,
            @Nullable String roleField) {
        List<String> fields = new ArrayList<>(
                switch (feed) {
                    case accounts ->
                        List.of(
                                "Id",
                                "Name",
                                "Website",
                                "ParentId",
                                "Industry",
                                "AnnualRevenue",
                                "CreatedDate",
                                "SystemModstamp");
                    case contacts ->
                        List.of(
                                "Id",
                                "AccountId",
                                "FirstName",
                                "LastName",
                                "Email",
                                "Phone",
                                "MobilePhone",
                                "Title",
                                "CreatedDate",
                                "SystemModstamp");
                    case opportunities ->
                        List.of(
                                "Id",
                                "AccountId",
                                "Name",
                                "Amount",
                                "CloseDate",
                                "StageName",
                                "IsClosed",
                                "IsWon",
                                "Type",
                                "CreatedDate",
                                "SystemModstamp");
                    case write_back -> throw new IllegalArgumentException("the write-back is no query");
                });
        if (feed == Feed.accounts && externalIdField != null && !fields.contains(externalIdField)) {
            fields.add(externalIdField);
        }
        if (feed == Feed.contacts && roleField != null && !fields.contains(roleField)) {
            fields.add(roleField);
        }
        if (withDeleted) {
            fields.add("IsDeleted");
        }
        return "SELECT " + String.join(", ", fields) + " FROM " + feed.object()
                + (after == null ? "" : " WHERE SystemModstamp > " + soqlTime(after))
                + " ORDER BY SystemModstamp ASC";
    }

    static String soqlTime(Instant at) {
        return SOQL_TIME.format(at.atOffset(ZoneOffset.UTC));
    }

    /** When the record was last changed ({@code SystemModstamp}). */
    static @Nullable Instant modified(JsonNode record) {
        return time(record, "SystemModstamp");
    }

    /** Whether a query of deleted records too ({@code queryAll}) answered this one as deleted. */
    static boolean deleted(JsonNode record) {
        return record.path("IsDeleted").asBoolean(false);
    }

    /** An Account; {@code externalIdField} names the field that holds the customer's own id for it (null: none). */
    static Company company(JsonNode account, @Nullable String externalIdField) {
        String id = id(account, "Id");
        time(account, "CreatedDate");
        time(account, "SystemModstamp");
        String name = text(account, "Name");
        String externalId = externalIdField == null ? null : value(account, externalIdField);
        String domain = VendorFields.domain(text(account, "Website"));
        String parent = account.hasNonNull("ParentId") ? id(account, "ParentId") : null;
        BigDecimal revenue = amount(account, "AnnualRevenue");
        return new Company(
                id,
                clip(name == null ? domain == null ? "Salesforce account " + id : domain : name, 200),
                externalId == null ? null : clip(externalId, 200),
                domain == null ? List.of() : List.of(domain),
                id.equals(parent) ? null : parent,
                text(account, "Industry"),
                revenue);
    }

    /**
     * A Contact as a contact of its Account's account: one of no Account belongs to no account. Its role comes from
     * {@code roleField} when the connection names one ({@link #role}), its title from {@code Title}; joined on the day
     * it was created.
     */
    static Read contact(JsonNode contact, @Nullable String roleField) {
        String id = id(contact, "Id");
        Instant created = time(contact, "CreatedDate");
        time(contact, "SystemModstamp");
        if (!contact.hasNonNull("AccountId")) {
            return new Read(id, null, "of no account");
        }
        String account = id(contact, "AccountId");
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        record.put("externalId", id);
        record.put("accountExternalId", account);
        String email = text(contact, "Email");
        String first = text(contact, "FirstName");
        String last = text(contact, "LastName");
        String name = first == null ? last : last == null ? first : first + " " + last;
        record.put("name", clip(name != null ? name : email != null ? email : "Salesforce contact " + id, 200));
        record.put("email", email);
        String phone = text(contact, "Phone");
        if (phone == null) {
            phone = text(contact, "MobilePhone");
        }
        record.put("phone", phone == null ? null : clip(phone, 50));
        String title = text(contact, "Title");
        record.put("title", title == null ? null : clip(title, 200));
        String role = roleField == null ? null : role(value(contact, roleField));
        if (role != null) {
            record.put("role", role);
        }
        if (created != null) {
            record.put("joinedAt", day(created).toString());
        }
        return new Read(id, record, "");
    }

    /**
     * An Opportunity as an opportunity of its Account's account: its name, amount, close date, stage (a closed one as
     * {@code closed_won} or {@code closed_lost} by {@code IsWon}, an open one by its {@code StageName}) and type
     * ({@link #type}). One of no Account is no opportunity.
     */
    static Read opportunity(JsonNode opportunity) {
        String id = id(opportunity, "Id");
        Instant created = time(opportunity, "CreatedDate");
        time(opportunity, "SystemModstamp");
        LocalDate close = date(opportunity, "CloseDate");
        BigDecimal amount = amount(opportunity, "Amount");
        if (!opportunity.hasNonNull("AccountId")) {
            return new Read(id, null, "of no account");
        }
        String account = id(opportunity, "AccountId");
        String stage = text(opportunity, "StageName");
        if (stage == null) {
            throw new RecordRefused("StageName", null, "is missing");
        }
        boolean closed = opportunity.path("IsClosed").asBoolean(false);
        String name = text(opportunity, "Name");
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        record.put("externalId", id);
        record.put("accountExternalId", account);
        record.put("name", clip(name == null ? "Salesforce opportunity " + id : name, 200));
        record.put("type", type(text(opportunity, "Type")));
        record.put("amount", amount);
        record.put(
                "stage",
                !closed ? clip(stage, 100) : opportunity.path("IsWon").asBoolean(false) ? "closed_won" : "closed_lost");
        record.put("closeDate", close == null ? null : close.toString());
        if (created != null) {
            record.put("createdAt", created.toString());
        }
        return new Read(id, record, "");
    }

    /**
     * An Opportunity's type as an opportunity's: one naming a renewal ({@code Existing Customer - Renewal}) is {@code
     * renewal}; one naming more business from a customer ({@code Existing Customer - Upgrade}, an expansion, upsell
     * or cross-sell) {@code expansion}; none, or any other ({@code New Customer}), {@code new}.
     */
    static String type(@Nullable String type) {
        if (type == null) {
            return "new";
        }
        String t = type.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        if (t.contains("renew")) {
            return "renewal";
        }
        if (t.contains("upgrade")
                || t.contains("expansion")
                || t.contains("upsell")
                || t.contains("crosssell")
                || t.startsWith("existingcustomer")) {
            return "expansion";
        }
        return "new";
    }

    /**
     * A contact's role as Steward's, as HubSpot's buying roles are read (several separated by {@code ;}: the first
     * Steward knows wins): a champion; an executive sponsor, decision maker, economic buyer or budget holder as {@code
     * executive_sponsor}; an end user or business user as {@code end_user}; another {@code other}; null for none.
     */
    static @Nullable String role(@Nullable String roles) {
        if (roles == null || roles.isBlank()) {
            return null;
        }
        for (String role : roles.split(";")) {
            String r = role.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
            String known = switch (r) {
                case "champion" -> "champion";
                case "executivesponsor", "decisionmaker", "economicdecisionmaker", "economicbuyer", "budgetholder" ->
                    "executive_sponsor";
                case "enduser", "businessuser" -> "end_user";
                default -> null;
            };
            if (known != null) {
                return known;
            }
        }
        return "other";
    }

    /** An id field: 15 or 18 letters and digits. */
    static String id(JsonNode record, String field) {
        JsonNode id = record.path(field);
        if (id.isMissingNode() || id.isNull()) {
            throw new RecordRefused(field, null, "is missing");
        }
        String value = id.isString() ? id.asString() : id.toString();
        if (!ID.matcher(value).matches()) {
            throw new RecordRefused(field, value, "is not a Salesforce id (15 or 18 letters and digits)");
        }
        return value;
    }

    /** A datetime field ({@code 2026-03-01T10:00:00.000+0000}); null when absent. */
    static @Nullable Instant time(JsonNode record, String field) {
        JsonNode value = record.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.asString(""), TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new RecordRefused(
                    field, value.asString(value.toString()), "is not a time (e.g. 2026-03-01T10:00:00.000+0000)");
        }
    }

    private static @Nullable LocalDate date(JsonNode record, String field) {
        JsonNode value = record.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        try {
            return LocalDate.parse(value.asString(""));
        } catch (DateTimeParseException e) {
            throw new RecordRefused(field, value.asString(value.toString()), "is not a date (e.g. 2026-09-30)");
        }
    }

    private static @Nullable BigDecimal amount(JsonNode record, String field) {
        JsonNode value = record.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new RecordRefused(field, value.asString(value.toString()), "is not a number");
        }
        BigDecimal amount = value.decimalValue();
        if (amount.signum() < 0 || amount.precision() - amount.scale() > 12) {
            throw new RecordRefused(
                    field, amount.toPlainString(), "is not an amount Steward keeps (0 to 999,999,999,999.99)");
        }
        return amount.setScale(2, RoundingMode.HALF_UP);
    }

    /** A field's value as a text (a custom field may be a text, a number or a picklist); null when empty. */
    private static @Nullable String value(JsonNode record, String field) {
        JsonNode value = record.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        String text = value.isString() ? value.asString() : value.toString();
        return text.isBlank() ? null : text.strip();
    }
}
