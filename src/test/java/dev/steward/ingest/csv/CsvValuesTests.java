package dev.steward.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class CsvValuesTests {

    @Test
    void readsTheDateShapesExportsUse() {
        assertThat(CsvValues.date("2024-10-16")).isEqualTo(LocalDate.of(2024, 10, 16));
        assertThat(CsvValues.date("2024/10/16")).isEqualTo(LocalDate.of(2024, 10, 16));
        assertThat(CsvValues.date("2021-05-27T13:50:24.000+0000")).isEqualTo(LocalDate.of(2021, 5, 27));
        assertThat(CsvValues.date("2020-02-15 01:00:00.123456")).isEqualTo(LocalDate.of(2020, 2, 15));
        assertThat(CsvValues.date("1729036800")).isEqualTo(LocalDate.of(2024, 10, 16));
        assertThat(CsvValues.date(" ")).isNull();
    }

    @Test
    void readsPointsInTimeWithOrWithoutAZone() {
        assertThat(CsvValues.instant("2021-05-27T13:50:24.000+0000")).isEqualTo(Instant.parse("2021-05-27T13:50:24Z"));
        assertThat(CsvValues.instant("2021-05-27T15:50:24+02:00")).isEqualTo(Instant.parse("2021-05-27T13:50:24Z"));
        assertThat(CsvValues.instant("2021-05-27T13:50:24Z")).isEqualTo(Instant.parse("2021-05-27T13:50:24Z"));
        assertThat(CsvValues.instant("2020-02-15 01:00:00.123456"))
                .isEqualTo(Instant.parse("2020-02-15T01:00:00.123456Z"));
        assertThat(CsvValues.instant("2020-02-15 01:00")).isEqualTo(Instant.parse("2020-02-15T01:00:00Z"));
        assertThat(CsvValues.instant("2024-10-16")).isEqualTo(Instant.parse("2024-10-16T00:00:00Z"));
        assertThat(CsvValues.instant("1729036800")).isEqualTo(Instant.parse("2024-10-16T00:00:00Z"));
        assertThat(CsvValues.instant("1729036800.5")).isEqualTo(Instant.parse("2024-10-16T00:00:00.500Z"));
        assertThat(CsvValues.instant("1729036800123")).isEqualTo(Instant.parse("2024-10-16T00:00:00.123Z"));
    }

    @Test
    void anUnreadableDateNamesTheFormsThatWouldHaveBeenRead() {
        assertThatThrownBy(() -> CsvValues.date("16/10/2024"))
                .hasMessageContaining("'16/10/2024' is not a date or time")
                .hasMessageContaining("2024-10-16")
                .hasMessageContaining("2021-05-27T13:50:24.000+0000")
                .hasMessageContaining("2020-02-15 01:00:00.123456")
                .hasMessageContaining("Unix seconds");
        assertThatThrownBy(() -> CsvValues.date("2024-02-30")).hasMessageContaining("not a date in the calendar");
    }

    @Test
    void readsNumbersWithThousandsSeparatorsAndDecimalCommas() {
        assertThat(CsvValues.decimal("1234.5")).isEqualByComparingTo("1234.5");
        assertThat(CsvValues.decimal("1,234.5")).isEqualByComparingTo("1234.5");
        assertThat(CsvValues.decimal("1,234,567")).isEqualByComparingTo("1234567");
        assertThat(CsvValues.decimal("1.234,5")).isEqualByComparingTo("1234.5");
        assertThat(CsvValues.decimal("1 234,5")).isEqualByComparingTo("1234.5");
        assertThat(CsvValues.decimal("12,5")).isEqualByComparingTo("12.5");
        assertThat(CsvValues.decimal("$1,234.50")).isEqualByComparingTo("1234.50");
        assertThat(CsvValues.decimal("-42")).isEqualByComparingTo("-42");
        assertThat(CsvValues.decimal("1.5E3")).isEqualByComparingTo("1500");
        assertThat(CsvValues.decimal("")).isNull();
        assertThat(CsvValues.number("17")).isEqualTo(17.0);
        assertThat(CsvValues.number("2,500")).isEqualTo(2500.0);
        assertThat(CsvValues.integer("12.0")).isEqualTo(12);
        assertThat(CsvValues.integer("1.250"))
                .as("whole numbers group thousands with dots")
                .isEqualTo(1250);
    }

    @Test
    void refusesWhatIsNotANumberSayingHowToWriteOne() {
        assertThatThrownBy(() -> CsvValues.decimal("12 seats"))
                .hasMessage("'12 seats' is not a number; write numbers like " + CsvValues.NUMBER_FORMS);
        assertThatThrownBy(() -> CsvValues.integer("12.5")).hasMessage("'12.5' is not a whole number");
    }

    @Test
    void readsTheManyWaysOfWritingYesAndNo() {
        for (String yes : new String[] {"true", "True", "TRUE", "1", "yes", "Y", "t"}) {
            assertThat(CsvValues.bool(yes)).as(yes).isTrue();
        }
        for (String no : new String[] {"false", "False", "FALSE", "0", "no", "N", "f"}) {
            assertThat(CsvValues.bool(no)).as(no).isFalse();
        }
        assertThat(CsvValues.bool("")).isNull();
        assertThatThrownBy(() -> CsvValues.bool("maybe")).hasMessageContaining("true/false, yes/no");
    }

    @Test
    void numbersKeepTheirScale() {
        assertThat(CsvValues.decimal("99.90")).isEqualTo(new BigDecimal("99.90"));
    }
}
