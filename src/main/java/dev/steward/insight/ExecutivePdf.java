package dev.steward.insight;

import com.lowagie.text.Document;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.regex.Pattern;

/** Renders the executive dashboard as a PDF: its definitions, then each of its tables as the CSV export has it. */
final class ExecutivePdf {

    private static final float MARGIN = 30;
    private static final Color MUTED = new Color(0x6c, 0x75, 0x7d);
    private static final Color HEAD = new Color(0xe9, 0xec, 0xef);
    private static final Font TITLE = new Font(Font.HELVETICA, 16, Font.BOLD);
    private static final Font SUBTITLE = new Font(Font.HELVETICA, 9, Font.NORMAL, MUTED);
    private static final Font SECTION = new Font(Font.HELVETICA, 12, Font.BOLD);
    private static final Font BODY = new Font(Font.HELVETICA, 8, Font.NORMAL);
    private static final Font CELL = new Font(Font.HELVETICA, 6.5f, Font.NORMAL);
    private static final Font CELL_HEAD = new Font(Font.HELVETICA, 6.5f, Font.BOLD);

    private static final Pattern WORDS = Pattern.compile("\\p{L}{2}");

    private ExecutivePdf() {}

    static byte[] render(String title, String subtitle, List<String> definitions, List<ExecutiveTable> tables) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document document = new Document(PageSize.A4.rotate(), MARGIN, MARGIN, MARGIN, MARGIN);
        PdfWriter.getInstance(document, out);
        document.addTitle(title);
        document.addCreator("Steward");
        document.open();
        document.add(new Paragraph(text(title), TITLE));
        Paragraph sub = new Paragraph(text(subtitle), SUBTITLE);
        sub.setSpacingAfter(6);
        document.add(sub);
        for (String definition : definitions) {
            Paragraph line = new Paragraph(text(definition), BODY);
            line.setSpacingAfter(2);
            document.add(line);
        }
        for (ExecutiveTable table : tables) {
            Paragraph heading = new Paragraph(text(table.title()), SECTION);
            heading.setSpacingBefore(10);
            heading.setSpacingAfter(4);
            document.add(heading);
            document.add(table(table));
        }
        document.close();
        return out.toByteArray();
    }

    private static PdfPTable table(ExecutiveTable table) {
        PdfPTable pdf = new PdfPTable(table.headers().size());
        pdf.setWidthPercentage(100);
        pdf.setHeaderRows(1);
        for (String header : table.headers()) {
            PdfPCell cell = new PdfPCell(new Phrase(text(header), CELL_HEAD));
            cell.setBackgroundColor(HEAD);
            pdf.addCell(cell);
        }
        for (List<String> row : table.rows()) {
            for (int i = 0; i < row.size(); i++) {
                PdfPCell cell = new PdfPCell(new Phrase(text(row.get(i)), CELL));
                if (i > 0 && figure(row.get(i))) {
                    cell.setHorizontalAlignment(Element.ALIGN_RIGHT);
                }
                pdf.addCell(cell);
            }
        }
        return pdf;
    }

    /** Figures line up on the right; words (a source's state, a troubleshooting step) read from the left. */
    private static boolean figure(String cell) {
        return cell.equals(ExecutiveTable.NO_DATA) || !WORDS.matcher(cell).find();
    }

    /** The text in the characters the PDF's standard fonts have. */
    static String text(String words) {
        return words.replace('−', '-')
                .replace('×', 'x')
                .replace('÷', '/')
                .replace("—", "-")
                .replace("≤", "<=")
                .replace("≥", ">=");
    }
}
