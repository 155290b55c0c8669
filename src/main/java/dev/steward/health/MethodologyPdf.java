package dev.steward.health;

import com.lowagie.text.Chunk;
import com.lowagie.text.Document;
import com.lowagie.text.Font;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.Rectangle;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import java.awt.Color;
import java.io.ByteArrayOutputStream;

/** Renders a {@link Methodology} as a PDF with the same sections, in the same order, as its HTML page. */
final class MethodologyPdf {

    private static final float MARGIN = 50;
    private static final Color MUTED = new Color(0x6c, 0x75, 0x7d);
    private static final Font TITLE = new Font(Font.HELVETICA, 18, Font.BOLD);
    private static final Font SUBTITLE = new Font(Font.HELVETICA, 10, Font.NORMAL, MUTED);
    private static final Font SECTION = new Font(Font.HELVETICA, 14, Font.BOLD);
    private static final Font GROUP = new Font(Font.HELVETICA, 12, Font.BOLD);
    private static final Font ENTRY = new Font(Font.HELVETICA, 10, Font.BOLD);
    private static final Font LABEL = new Font(Font.HELVETICA, 9, Font.BOLD, MUTED);
    private static final Font BODY = new Font(Font.HELVETICA, 10, Font.NORMAL);

    private MethodologyPdf() {}

    static byte[] render(Methodology methodology) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document document = new Document(PageSize.A4, MARGIN, MARGIN, MARGIN, MARGIN);
        PdfWriter.getInstance(document, out);
        String title = methodology.scorecard() + " scorecard methodology";
        document.addTitle(title);
        document.addCreator("Steward");
        document.open();
        document.add(new Paragraph(text(title), TITLE));
        Paragraph version = new Paragraph("Version " + methodology.version(), SUBTITLE);
        version.setSpacingAfter(6);
        document.add(version);
        for (Methodology.Section section : methodology.sections()) {
            Paragraph heading = new Paragraph(text(section.title()), SECTION);
            heading.setSpacingBefore(12);
            heading.setSpacingAfter(4);
            document.add(heading);
            for (String paragraph : section.paragraphs()) {
                Paragraph body = new Paragraph(text(paragraph), BODY);
                body.setSpacingAfter(3);
                document.add(body);
            }
            for (Methodology.Group group : section.groups()) {
                document.add(dimension(group));
            }
        }
        document.close();
        return out.toByteArray();
    }

    /**
     * A dimension as a table: its heading, repeated on each page it spans, then one row per measure; a row is never
     * split, so a measure's facts stay on one page with its name.
     */
    private static PdfPTable dimension(Methodology.Group group) {
        PdfPTable table = new PdfPTable(1);
        table.setWidthPercentage(100);
        table.setSpacingBefore(10);
        table.setHeaderRows(1);
        table.setSplitRows(false);
        Phrase heading = new Phrase();
        heading.add(new Chunk(text(group.title()), GROUP));
        heading.add(new Chunk("   " + text(group.summary()), SUBTITLE));
        PdfPCell head = new PdfPCell(heading);
        head.setBorder(Rectangle.BOTTOM);
        head.setBorderColor(MUTED);
        head.setPaddingBottom(6);
        table.addCell(head);
        for (Methodology.Entry entry : group.entries()) {
            PdfPTable facts = new PdfPTable(new float[] {1, 5});
            facts.setWidthPercentage(100);
            PdfPCell name = cell(new Phrase(text(entry.title()), ENTRY));
            name.setColspan(2);
            name.setPaddingTop(8);
            facts.addCell(name);
            for (Methodology.Fact fact : entry.facts()) {
                facts.addCell(cell(new Phrase(text(fact.label()), LABEL)));
                facts.addCell(cell(new Phrase(text(fact.text()), BODY)));
            }
            PdfPCell row = new PdfPCell(facts);
            row.setBorder(Rectangle.NO_BORDER);
            table.addCell(row);
        }
        return table;
    }

    private static PdfPCell cell(Phrase phrase) {
        PdfPCell cell = new PdfPCell(phrase);
        cell.setBorder(Rectangle.NO_BORDER);
        cell.setPadding(2);
        return cell;
    }

    /** The built-in Helvetica has no minus sign (U+2212); a hyphen prints instead of a blank. */
    private static String text(String words) {
        return words.replace('−', '-');
    }
}
