package dev.steward.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTests {

    @Test
    void readsAFileWithBomCrlfAndAQuotedLineBreak() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        String text = "id,name,feedback\r\n1,Acme,\"too\r\nexpensive\"\r\n2,Beta,fine\r\n";
        try (CsvReader reader =
                CsvReader.open(CsvInput.of("f.csv", concat(bom, text.getBytes(StandardCharsets.UTF_8))))) {
            assertThat(reader.header()).containsExactly("id", "name", "feedback");
            assertThat(reader.layout().encoding()).isEqualTo("UTF-8 with BOM");
            assertThat(reader.layout().lineEnding()).isEqualTo("CRLF");
            CsvReader.Row first = reader.next();
            assertThat(first.cells()).containsExactly("1", "Acme", "too\r\nexpensive");
            assertThat(first.firstLine()).isEqualTo(2);
            assertThat(first.where()).isEqualTo("line 2 (to line 3: a quoted value holds a line break)");
            CsvReader.Row second = reader.next();
            assertThat(second.firstLine()).isEqualTo(4);
            assertThat(second.where()).isEqualTo("line 4");
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void detectsSemicolonsAndSkipsBlankLinesKeepingLineNumbers() throws Exception {
        String text = "id;amount\n1;\"1,5\"\n\n2;3\n3;4";
        List<CsvReader.Row> rows = rows(text, StandardCharsets.UTF_8);
        assertThat(rows).extracting(CsvReader.Row::firstLine).containsExactly(2L, 4L, 5L);
        assertThat(rows.get(0).cells()).containsExactly("1", "1,5");
        assertThat(rows.get(2).where()).isEqualTo("line 5");
    }

    @Test
    void readsWindows1252AsOlderExcelWritesIt() throws Exception {
        List<CsvReader.Row> rows = rows("name\nCafé Müller\n", Charset.forName("windows-1252"));
        assertThat(rows.get(0).cells()).containsExactly("Café Müller");
    }

    @Test
    void namesBlankAndRepeatedColumns() throws Exception {
        try (CsvReader reader =
                CsvReader.open(CsvInput.of("f.csv", "a,,a\n1,2,3\n".getBytes(StandardCharsets.UTF_8)))) {
            assertThat(reader.header()).containsExactly("a", "column 2", "a (2)");
        }
    }

    @Test
    void aQuoteNeverClosedIsAFileErrorNamingWhereReadingStopped() throws Exception {
        try (CsvReader reader =
                CsvReader.open(CsvInput.of("f.csv", "a,b\n1,2\n3,\"open\n4,5\n".getBytes(StandardCharsets.UTF_8)))) {
            assertThat(reader.next().cells()).containsExactly("1", "2");
            assertThatThrownBy(reader::next)
                    .isInstanceOf(CsvFileException.class)
                    .hasMessage("the quoted value starting on line 3 is never closed: the file ends inside it. Close"
                            + " the quote (a quote inside a quoted value is written twice: \"\")");
        }
    }

    @Test
    void anEmptyFileIsRefused() {
        assertThatThrownBy(() -> CsvReader.open(CsvInput.of("f.csv", new byte[0])))
                .isInstanceOf(CsvFileException.class)
                .hasMessageContaining("the file is empty");
    }

    private static List<CsvReader.Row> rows(String text, Charset charset) throws Exception {
        List<CsvReader.Row> rows = new ArrayList<>();
        try (CsvReader reader = CsvReader.open(CsvInput.of("f.csv", text.getBytes(charset)))) {
            for (CsvReader.Row row = reader.next(); row != null; row = reader.next()) {
                rows.add(row);
            }
        }
        return rows;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
