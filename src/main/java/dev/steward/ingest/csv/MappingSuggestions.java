package dev.steward.ingest.csv;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Suggests a mapping from a file's header: a column named like a field (ignoring case, spaces, underscores and
 * dashes) fills it, and so do the names exports commonly use ({@code customer_id} for the account, {@code mrr} for a
 * contract's yearly amount at 12 times the monthly one, {@code submitted_at} for when a ticket was opened, …).
 */
final class MappingSuggestions {

    private static final BigDecimal MONTHS_PER_YEAR = BigDecimal.valueOf(12);
    private static final Set<CsvEntity> ALL = EnumSet.allOf(CsvEntity.class);

    /** A header name that suggests a field, for some kinds of record. */
    private record Synonym(
            Set<CsvEntity> entities, String field, String header, BigDecimal multiply, String template) {}

    private static final List<Synonym> SYNONYMS = new ArrayList<>();

    static {
        // The record's own id, by the kind of record.
        ids(
                CsvEntity.accounts,
                "account_id",
                "accountid",
                "customer_id",
                "company_id",
                "org_id",
                "organization_id",
                "tenant_id");
        ids(CsvEntity.contacts, "contact_id", "person_id", "user_id");
        ids(CsvEntity.contracts, "contract_id", "subscription_id", "sub_id");
        ids(CsvEntity.opportunities, "opportunity_id", "opp_id", "deal_id");
        ids(CsvEntity.tickets, "ticket_id", "case_id", "issue_id");
        ids(CsvEntity.invoices, "invoice_id", "invoice_number");
        ids(CsvEntity.meetings, "meeting_id", "event_id");
        ids(CsvEntity.survey_responses, "response_id", "survey_response_id", "survey_id");
        ids(CsvEntity.churn_events, "churn_event_id", "churn_id", "event_id");
        synonyms(ALL, "externalId", "id", "external_id", "uuid", "key");

        Set<CsvEntity> owned = EnumSet.complementOf(EnumSet.of(CsvEntity.accounts));
        synonyms(
                owned,
                CsvEntity.ACCOUNT_EXTERNAL_ID,
                "account_id",
                "customer_id",
                "company_id",
                "org_id",
                "organization_id",
                "tenant_id",
                "account",
                "customer",
                "company",
                "account_external_id");
        synonyms(
                EnumSet.of(CsvEntity.accounts),
                "name",
                "account_name",
                "company_name",
                "customer_name",
                "company",
                "customer",
                "organization",
                "account");
        synonyms(
                EnumSet.of(CsvEntity.accounts),
                "name",
                "organization_name",
                "organisation_name",
                "org_name",
                "client_name",
                "client",
                "business_name",
                "legal_name");
        ids(CsvEntity.accounts, "account_number", "customer_number", "client_id", "crm_id");
        synonyms(EnumSet.of(CsvEntity.accounts), "parentExternalId", "parent_id", "parent_account_id");
        synonyms(
                EnumSet.of(CsvEntity.accounts),
                "tier",
                "plan_tier",
                "segment",
                "customer_tier",
                "account_tier",
                "plan",
                "plan_name",
                "subscription_tier",
                "service_tier",
                "package");
        synonyms(EnumSet.of(CsvEntity.accounts), "industry", "vertical", "sector", "industry_name");
        synonyms(EnumSet.of(CsvEntity.accounts), "region", "country", "geo", "territory", "geography", "market");
        synonyms(
                EnumSet.of(CsvEntity.accounts),
                "employees",
                "employee_count",
                "company_size",
                "headcount",
                "number_of_employees",
                "num_employees",
                "employees_count",
                "no_of_employees",
                "size");
        synonyms(
                EnumSet.of(CsvEntity.accounts),
                "ownerEmail",
                "owner",
                "csm",
                "csm_email",
                "account_owner",
                "owner_email_address",
                "account_owner_email",
                "csm_email_address",
                "customer_success_manager",
                "customer_success_manager_email",
                "success_manager",
                "account_manager",
                "account_manager_email");
        synonyms(
                EnumSet.of(CsvEntity.accounts),
                "arr",
                "annual_recurring_revenue",
                "arr_amount",
                "arr_usd",
                "current_arr");
        SYNONYMS.add(new Synonym(EnumSet.of(CsvEntity.accounts), "arr", "mrr", MONTHS_PER_YEAR, null));
        SYNONYMS.add(
                new Synonym(EnumSet.of(CsvEntity.accounts), "arr", "monthlyrecurringrevenue", MONTHS_PER_YEAR, null));
        synonyms(EnumSet.of(CsvEntity.accounts), "lifecycleStage", "stage", "lifecycle", "lifecycle_stage");
        // Steward's accounts have no domain field: a file's domain or website is kept as a custom field.
        synonyms(
                EnumSet.of(CsvEntity.accounts),
                "customFields.domain",
                "domain",
                "website",
                "web_site",
                "company_domain",
                "company_website",
                "url",
                "homepage");

        synonyms(EnumSet.of(CsvEntity.contacts), "name", "full_name", "contact_name", "person");
        synonyms(EnumSet.of(CsvEntity.contacts), "email", "email_address", "e_mail");
        synonyms(EnumSet.of(CsvEntity.contacts), "title", "job_title", "position");
        synonyms(EnumSet.of(CsvEntity.contacts), "joinedAt", "created_at", "start_date");
        synonyms(EnumSet.of(CsvEntity.contacts), "timeZone", "time_zone", "timezone", "tz");

        synonyms(
                EnumSet.of(CsvEntity.contracts),
                "startDate",
                "start",
                "starts_on",
                "start_date",
                "contract_start",
                "period_start");
        synonyms(
                EnumSet.of(CsvEntity.contracts),
                "endDate",
                "end",
                "ends_on",
                "end_date",
                "contract_end",
                "period_end",
                "renewal_date");
        synonyms(
                EnumSet.of(CsvEntity.contracts),
                "arr",
                "arr_amount",
                "annual_amount",
                "annual_recurring_revenue",
                "acv",
                "annual_contract_value",
                "arr_usd",
                "contract_value",
                "yearly_amount");
        SYNONYMS.add(new Synonym(EnumSet.of(CsvEntity.contracts), "arr", "mrr", MONTHS_PER_YEAR, null));
        SYNONYMS.add(new Synonym(EnumSet.of(CsvEntity.contracts), "arr", "mrramount", MONTHS_PER_YEAR, null));
        SYNONYMS.add(new Synonym(EnumSet.of(CsvEntity.contracts), "arr", "monthlyamount", MONTHS_PER_YEAR, null));
        SYNONYMS.add(
                new Synonym(EnumSet.of(CsvEntity.contracts), "arr", "monthlyrecurringrevenue", MONTHS_PER_YEAR, null));
        synonyms(EnumSet.of(CsvEntity.contracts), "seats", "licenses", "licences", "quantity", "users");
        synonyms(EnumSet.of(CsvEntity.contracts), "plan", "plan_tier", "plan_name", "product", "tier");
        synonyms(EnumSet.of(CsvEntity.contracts), "autoRenew", "auto_renew_flag", "auto_renews", "autorenewal");
        synonyms(
                EnumSet.of(CsvEntity.contracts),
                "previousContractExternalId",
                "previous_subscription_id",
                "renews_contract_id");

        synonyms(EnumSet.of(CsvEntity.opportunities), "name", "opportunity_name", "deal_name", "title");
        synonyms(EnumSet.of(CsvEntity.opportunities), "type", "opportunity_type", "deal_type");
        synonyms(EnumSet.of(CsvEntity.opportunities), "amount", "value", "deal_amount");
        synonyms(EnumSet.of(CsvEntity.opportunities), "stage", "deal_stage", "status");
        synonyms(EnumSet.of(CsvEntity.opportunities), "closeDate", "close_date", "expected_close");

        synonyms(
                EnumSet.of(CsvEntity.usage, CsvEntity.usage_events),
                "metric",
                "metric_name",
                "event",
                "event_name",
                "event_type");
        SYNONYMS.add(new Synonym(
                EnumSet.of(CsvEntity.usage, CsvEntity.usage_events), "metric", "feature", null, "feature.{%s}"));
        SYNONYMS.add(new Synonym(
                EnumSet.of(CsvEntity.usage, CsvEntity.usage_events), "metric", "featurename", null, "feature.{%s}"));
        synonyms(EnumSet.of(CsvEntity.usage), "day", "date", "usage_date", "usage_day", "event_date");
        synonyms(EnumSet.of(CsvEntity.usage), "value", "count", "usage_count", "quantity", "amount", "total");
        synonyms(
                EnumSet.of(CsvEntity.usage_events),
                "occurredAt",
                "timestamp",
                "time",
                "event_time",
                "created_at",
                "date");
        synonyms(EnumSet.of(CsvEntity.usage_events), "count", "quantity", "usage_count");

        synonyms(
                EnumSet.of(CsvEntity.tickets),
                "openedAt",
                "submitted_at",
                "created_at",
                "created",
                "opened",
                "opened_at",
                "date");
        synonyms(EnumSet.of(CsvEntity.tickets), "resolvedAt", "closed_at", "solved_at", "resolved", "closed");
        synonyms(EnumSet.of(CsvEntity.tickets), "firstResponseAt", "first_response_at", "first_reply_at");
        synonyms(EnumSet.of(CsvEntity.tickets), "subject", "title", "summary");
        synonyms(EnumSet.of(CsvEntity.tickets), "escalated", "escalation_flag", "is_escalated");
        synonyms(EnumSet.of(CsvEntity.tickets), "csat", "satisfaction", "satisfaction_score", "csat_score", "rating");

        synonyms(EnumSet.of(CsvEntity.invoices), "issuedOn", "issued_at", "invoice_date", "date", "created");
        synonyms(EnumSet.of(CsvEntity.invoices), "dueOn", "due_date", "due_at", "due");
        synonyms(EnumSet.of(CsvEntity.invoices), "paidOn", "paid_at", "paid_date", "payment_date");
        synonyms(EnumSet.of(CsvEntity.invoices), "amount", "total", "amount_due", "invoice_amount");

        synonyms(EnumSet.of(CsvEntity.meetings), "occurredAt", "date", "meeting_date", "start_time", "started_at");
        synonyms(EnumSet.of(CsvEntity.meetings), "type", "meeting_type");
        synonyms(EnumSet.of(CsvEntity.meetings), "title", "subject", "name");

        synonyms(
                EnumSet.of(CsvEntity.survey_responses),
                "respondedAt",
                "responded_at",
                "submitted_at",
                "created_at",
                "date");
        synonyms(EnumSet.of(CsvEntity.survey_responses), "kind", "survey_type", "type");
        synonyms(EnumSet.of(CsvEntity.survey_responses), "score", "rating", "nps", "csat");
        synonyms(EnumSet.of(CsvEntity.survey_responses), "comment", "feedback", "comments", "text");
        synonyms(EnumSet.of(CsvEntity.survey_responses), "respondentEmail", "email");

        synonyms(EnumSet.of(CsvEntity.churn_events), "churnedOn", "churn_date", "churned_at", "date");
        synonyms(EnumSet.of(CsvEntity.churn_events), "reasonCategory", "reason_code", "category", "churn_reason");
        synonyms(EnumSet.of(CsvEntity.churn_events), "reason", "feedback", "feedback_text", "comment", "notes");
        synonyms(EnumSet.of(CsvEntity.churn_events), "arrLost", "lost_arr", "arr");

        synonyms(
                EnumSet.of(CsvEntity.churn_labels),
                "churned",
                "churn",
                "churn_flag",
                "churn_label",
                "is_churned",
                "exited",
                "churned_flag");
        synonyms(
                EnumSet.of(CsvEntity.churn_labels, CsvEntity.account_attributes),
                "asOf",
                "as_of",
                "as_of_date",
                "snapshot_date",
                "date",
                "day");
        synonyms(EnumSet.of(CsvEntity.churn_labels), "horizonDays", "horizon", "horizon_days");
        synonyms(EnumSet.of(CsvEntity.account_attributes), "name", "attribute", "attribute_name", "key");
    }

    private MappingSuggestions() {}

    static CsvMapping suggest(CsvEntity entity, List<String> header) {
        Map<String, FieldSource> fields = new LinkedHashMap<>();
        Set<String> used = new HashSet<>();
        for (CsvField field : entity.fields()) {
            if (field.type() == CsvField.Type.UUID) {
                // An "account_id" column holds the source's id, not Steward's: Steward ids are mapped on purpose.
                continue;
            }
            for (String column : header) {
                if (!used.contains(column) && normalise(column).equals(normalise(field.name()))) {
                    fields.put(field.name(), FieldSource.column(column));
                    used.add(column);
                    break;
                }
            }
        }
        for (Synonym synonym : SYNONYMS) {
            if (!synonym.entities().contains(entity)
                    || fields.containsKey(synonym.field())
                    || entity.field(synonym.field()).isEmpty()) {
                continue;
            }
            for (String column : header) {
                if (!used.contains(column) && normalise(column).equals(synonym.header())) {
                    FieldSource source = synonym.template() != null
                            ? new FieldSource(null, synonym.template().formatted(column), null, null, null, null)
                            : FieldSource.column(column);
                    fields.put(
                            synonym.field(),
                            synonym.multiply() == null ? source : source.multipliedBy(synonym.multiply()));
                    used.add(column);
                    break;
                }
            }
        }
        return CsvMapping.of(fields);
    }

    /** "Company ID", "company_id" and "companyId" all read "companyid". */
    static String normalise(String name) {
        StringBuilder key = new StringBuilder(name.length());
        for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
            if (Character.isLetterOrDigit(c)) {
                key.append(c);
            }
        }
        return key.toString();
    }

    private static void ids(CsvEntity entity, String... headers) {
        synonyms(EnumSet.of(entity), "externalId", headers);
    }

    private static void synonyms(Set<CsvEntity> entities, String field, String... headers) {
        for (String header : headers) {
            SYNONYMS.add(new Synonym(entities, field, normalise(header), null, null));
        }
    }
}
