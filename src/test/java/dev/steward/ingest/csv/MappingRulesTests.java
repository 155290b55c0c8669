package dev.steward.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The parts of a mapping that leave rows out, make ids and read wide files, as a person writes them in YAML: what
 * each row becomes, and the precise refusal of a mapping that does not fit the file.
 */
class MappingRulesTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String CHURN = """
            customer,Churned,churn_date
            C-1,Yes,2024-05-01
            C-2,No,
            C-3, no ,
            C-4,YES,2024-06-01
            C-5,,
            """;

    @Test
    void aSkipConditionLeavesOutMatchingRowsWithoutReadingThem() throws Exception {
        CsvMapping mapping = mapping("""
                skip: {column: Churned, in: [No, ""]}
                fields:
                  externalId: customer
                  accountExternalId: customer
                  churnedOn: churn_date
                  reasonCategory: {default: other}
                """);
        List<RowConverter.Converted> rows = convert(CsvEntity.churn_events, mapping, CHURN);
        assertThat(rows)
                .as("'No' (any case, spaces around) and an empty cell are skipped; an empty churn_date is never read")
                .extracting(RowConverter.Converted::skipped)
                .containsExactly(false, true, true, false, true);
        assertThat(rows.get(0).good()).isTrue();
        assertThat(rows.get(3).values()).containsEntry("externalId", "C-4");
        assertThat(rows.get(1).good())
                .as("a skipped row is neither good nor rejected")
                .isFalse();
        assertThat(rows.get(1).problems()).isEmpty();
    }

    @Test
    void aKeepConditionImportsOnlyMatchingRows() throws Exception {
        CsvMapping mapping = mapping("""
                keep: {column: Churned, equals: Yes}
                fields: {externalId: customer, accountExternalId: customer, churnedOn: churn_date,
                         reasonCategory: {default: other}}
                """);
        assertThat(convert(CsvEntity.churn_events, mapping, CHURN))
                .extracting(RowConverter.Converted::skipped)
                .containsExactly(false, true, true, false, true);
    }

    @Test
    void yesAndNoInAMappingAreTheWordsWrittenNotYamlBooleans() throws Exception {
        CsvMapping mapping = mapping("""
                skip: {column: Churned, equals: No}
                fields: {externalId: customer, accountExternalId: customer, churnedOn: {default: 2024-06-30},
                         reasonCategory: {column: Churned, values: {Yes: other, No: budget}}}
                """);
        assertThat(mapping.skip().equalTo()).isEqualTo("No");
        assertThat(mapping.fields().get("reasonCategory").values()).containsKeys("Yes", "No");
        assertThat(mapping.fields().get("churnedOn").fallback()).isEqualTo("2024-06-30");
    }

    @Test
    void aConditionOnAColumnTheFileLacksOrWithoutValuesIsRefusedNamingWhere() throws Exception {
        List<String> header = List.of("customer", "Churned", "churn_date");
        CsvMapping unknown = mapping("""
                skip: {column: Churnd, equals: "No"}
                keep: {column: Churned}
                fields: {externalId: customer, accountExternalId: customer, churnedOn: churn_date,
                         reasonCategory: {default: other}}
                """);
        assertThat(unknown.problems(CsvEntity.churn_events, header))
                .containsExactly(
                        FieldError.of(
                                "skip.column",
                                "the file has no column 'Churnd'; its columns are customer, Churned, churn_date"),
                        FieldError.of(
                                "keep",
                                "give the values the column is tested for: equals (one value, \"\" for an empty cell)"
                                        + " or in (a list), such as {column: Churned, equals: \"No\"}"));
        CsvMapping both = mapping("""
                skip: {column: Churned, equals: "No", in: []}
                fields: {externalId: customer, accountExternalId: customer, churnedOn: churn_date,
                         reasonCategory: {default: other}}
                """);
        assertThat(both.problems(CsvEntity.churn_events, header))
                .containsExactly(FieldError.of("skip", "give either equals or in, not both"));
    }

    @Test
    void aHashOfColumnsIsTheSameIdForTheSameCellsInEveryImport() throws Exception {
        CsvMapping mapping = mapping("""
                fields:
                  externalId: {hash: [customer, churn_date]}
                  accountExternalId: customer
                  churnedOn: churn_date
                  reasonCategory: {default: other}
                """);
        String file = "customer,churn_date\nC-1,2024-05-01\nC-2,2024-05-01\n C-1 ,2024-05-01\nC-1,2024-05-02\n";
        List<RowConverter.Converted> first = convert(CsvEntity.churn_events, mapping, file);
        List<RowConverter.Converted> again = convert(CsvEntity.churn_events, mapping, file);
        List<Object> ids = first.stream().map(r -> r.values().get("externalId")).toList();
        assertThat(ids.get(0)).asString().hasSize(24).matches("[0-9a-f]+");
        assertThat(ids.get(2)).as("spaces around a cell do not change the id").isEqualTo(ids.get(0));
        assertThat(ids.get(1)).isNotEqualTo(ids.get(0));
        assertThat(ids.get(3)).isNotEqualTo(ids.get(0));
        assertThat(again.stream().map(r -> r.values().get("externalId")).toList())
                .as("the same file again")
                .isEqualTo(ids);
    }

    @Test
    void aRowNumberCountsRowsBelowTheHeaderWithoutBlankLines() throws Exception {
        CsvMapping mapping = mapping("fields: {externalId: {rowNumber: true}, name: company}\n");
        assertThat(convert(CsvEntity.accounts, mapping, "company\nAcme\n\nBeta\nGamma\n"))
                .extracting(r -> r.values().get("externalId"))
                .containsExactly("1", "2", "3");
    }

    @Test
    void anIdFromColumnsTheFileLacksOrForAFieldThatIsNotTextIsRefused() throws Exception {
        CsvMapping mapping = mapping("""
                fields:
                  externalId: {hash: [customer, day], column: customer}
                  name: customer
                  employees: {rowNumber: true}
                """);
        assertThat(mapping.problems(CsvEntity.accounts, List.of("customer")))
                .containsExactly(
                        FieldError.of(
                                "fields.externalId",
                                "give one of a column, a template, a hash or the row number, not several"),
                        FieldError.of(
                                "fields.externalId.hash", "the file has no column 'day'; its columns are customer"),
                        FieldError.of(
                                "fields.employees",
                                "only text fields such as externalId can be a hash or the row number; employees is a"
                                        + " whole number"));
    }

    @Test
    void aWideUsageRowGivesOneValuePerNonEmptyCellAndNamesTheCellThatCannotBeRead() throws Exception {
        CsvMapping mapping = mapping("""
                fields: {accountExternalId: account, day: date}
                columns:
                  Logins: logins
                  API calls: {key: api_calls, multiply: 1000}
                  Seats used: seats_used
                """);
        String file = "account,date,Logins,API calls,Seats used\n"
                + "A-1,2024-01-01,12,\"1,5\",0\n"
                + "A-1,2024-01-02,,2,\n"
                + "A-2,2024-01-01,many,1,3\n";
        List<RowConverter.Converted> rows = convert(CsvEntity.usage, mapping, file);
        assertThat(rows.get(0).wide())
                .containsExactly(
                        new RowConverter.WideValue("Logins", "logins", new BigDecimal("12")),
                        new RowConverter.WideValue("API calls", "api_calls", new BigDecimal("1500.0")),
                        new RowConverter.WideValue("Seats used", "seats_used", new BigDecimal("0")));
        assertThat(rows.get(1).wide())
                .as("an empty cell is no value, not zero")
                .extracting(RowConverter.WideValue::key)
                .containsExactly("api_calls");
        assertThat(rows.get(2).problems()).singleElement().satisfies(p -> {
            assertThat(p.column()).isEqualTo("Logins");
            assertThat(p.field()).isEqualTo("logins");
            assertThat(p.value()).isEqualTo("many");
            assertThat(p.reason()).startsWith("'many' is not a number");
        });
    }

    @Test
    void wideAttributesReadYesNoAsOneAndZeroAndTranslateOtherValues() throws Exception {
        CsvMapping mapping = mapping("""
                fields: {accountExternalId: customerID, asOf: {default: 2024-06-30}}
                columns:
                  tenure: tenure_months
                  Partner: partner
                  Contract: {key: contract_months, values: {Month-to-month: 1, One year: 12, Two year: 24}}
                """);
        String file = "customerID,tenure,Partner,Contract\nC-1,34,Yes,One year\nC-2,2,No,Month-to-month\n"
                + "C-3,8,Maybe,Weekly\n";
        List<RowConverter.Converted> rows = convert(CsvEntity.account_attributes, mapping, file);
        assertThat(rows.get(0).wide())
                .extracting(RowConverter.WideValue::value)
                .containsExactly(new BigDecimal("34"), BigDecimal.ONE, new BigDecimal("12"));
        assertThat(rows.get(1).wide())
                .extracting(RowConverter.WideValue::value)
                .containsExactly(new BigDecimal("2"), BigDecimal.ZERO, BigDecimal.ONE);
        assertThat(rows.get(2).problems())
                .extracting(RowConverter.Problem::column)
                .containsExactly("Partner", "Contract");
        assertThat(rows.get(2).problems().get(0).reason()).startsWith("'Maybe' is neither a number");
    }

    @Test
    void aWideMappingThatDoesNotFitIsRefusedNamingTheColumn() throws Exception {
        List<String> header = List.of("account", "date", "Logins", "API calls", "metric");
        CsvMapping mapping = mapping("""
                fields: {accountExternalId: account, day: date, metric: metric}
                columns:
                  Logins: logins
                  API calls: API Calls
                  Seats: seats
                  account: attribute.tenure
                """);
        assertThat(mapping.problems(CsvEntity.usage, header))
                .extracting(FieldError::toString)
                .containsExactly(
                        "columns.API calls: 'API Calls' cannot be a metric key: lower-case letters, digits and '_'"
                                + " (words joined by '.'), starting with a letter, up to 100, such as api_calls",
                        "columns.Seats: the file has no column 'Seats'; its columns are account, date, Logins, API"
                                + " calls, metric",
                        "columns.account: is already read into a field; a column is either a field or a value of its"
                                + " own",
                        "columns.account: 'attribute.tenure': keys starting with 'attribute.' name facts of another"
                                + " kind in scorecards; choose another prefix (reserved: [tickets., invoices.,"
                                + " meetings., contacts., contracts., surveys., sentiment., attribute.,"
                                + " lifecycle.])",
                        "fields.metric: comes from the columns in a wide mapping (each column's metric and its"
                                + " cells); remove it from fields");
        assertThat(mapping("fields: {externalId: id, accountExternalId: a, subject: s, openedAt: o}\ncolumns: {x: y}\n")
                        .problems(CsvEntity.tickets, List.of("id", "a", "s", "o", "x")))
                .extracting(FieldError::toString)
                .containsExactly("columns: only files of usage or account_attributes can be wide (one value per mapped"
                        + " column); tickets files hold one record per row");
    }

    @Test
    void aMappingWrittenOutAsYamlReadsBackTheSame() throws Exception {
        CsvMapping mapping = mapping("""
                skip: {column: Churned, equals: "No"}
                fields:
                  accountExternalId: customerID
                  asOf: {default: 2024-06-30}
                columns:
                  tenure: tenure_months
                  Contract: {key: contract_months, values: {Month-to-month: 1, One year: 12}}
                """);
        String yaml = MappingDocuments.yaml(mapping, JSON);
        assertThat(yaml).contains("tenure: tenure_months").contains("equals: 'No'");
        assertThat(MappingDocuments.mapping(yaml, JSON)).isEqualTo(mapping);
        CsvMapping ids = mapping("fields: {externalId: {hash: [a, b]}, name: {rowNumber: true}}\n");
        assertThat(MappingDocuments.mapping(MappingDocuments.yaml(ids, JSON), JSON))
                .isEqualTo(ids);
    }

    @Test
    void aMisspelledPartOfAMappingIsRefused() {
        assertThatThrownBy(() -> mapping("skipp: {column: a, equals: b}\nfields: {}\n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("skipp");
    }

    private static CsvMapping mapping(String yaml) {
        return MappingDocuments.mapping(
                yaml,
                JsonMapper.builder()
                        .enable(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                        .build());
    }

    private static List<RowConverter.Converted> convert(CsvEntity entity, CsvMapping mapping, String file)
            throws Exception {
        List<RowConverter.Converted> rows = new ArrayList<>();
        try (CsvReader reader = CsvReader.open(CsvInput.of("f.csv", file.getBytes(StandardCharsets.UTF_8)))) {
            RowConverter converter = new RowConverter(entity, mapping, reader.header());
            for (CsvReader.Row row = reader.next(); row != null; row = reader.next()) {
                rows.add(converter.convert(row));
            }
        }
        return rows;
    }
}
