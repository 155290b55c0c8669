package dev.steward.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsvCellsTests {

    @Test
    void cellsASpreadsheetWouldRunAsFormulasAreDefused() {
        assertThat(CsvCells.defused("=HYPERLINK(\"http://evil.test\",\"Acme\")"))
                .isEqualTo("'=HYPERLINK(\"http://evil.test\",\"Acme\")");
        assertThat(CsvCells.defused("+1+cmd|' /C calc'!A0")).isEqualTo("'+1+cmd|' /C calc'!A0");
        assertThat(CsvCells.defused("-2+3")).isEqualTo("'-2+3");
        assertThat(CsvCells.defused("@SUM(A1:A9)")).isEqualTo("'@SUM(A1:A9)");
        assertThat(CsvCells.defused("\t=1")).isEqualTo("'\t=1");
        assertThat(CsvCells.defused("\r=1")).isEqualTo("'\r=1");
    }

    @Test
    void numbersAndPlainTextAreLeftAsTheyAre() {
        assertThat(CsvCells.defused("-12.5")).isEqualTo("-12.5");
        assertThat(CsvCells.defused("+3")).isEqualTo("+3");
        assertThat(CsvCells.defused("-1e5")).isEqualTo("-1e5");
        assertThat(CsvCells.defused("Acme = best")).isEqualTo("Acme = best");
        assertThat(CsvCells.defused("")).isEmpty();
        assertThat(CsvCells.defused(null)).isNull();
    }

    @Test
    void cellsAreQuotedAsRfc4180Says() {
        assertThat(CsvCells.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(CsvCells.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(CsvCells.cell("=1,2")).isEqualTo("\"'=1,2\"");
        assertThat(CsvCells.cell("a;b", ';')).isEqualTo("\"a;b\"");
        assertThat(CsvCells.cell(-0.5)).isEqualTo("-0.5");
        assertThat(CsvCells.cell(null)).isEmpty();
    }
}
