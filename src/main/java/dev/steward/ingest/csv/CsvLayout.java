package dev.steward.ingest.csv;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * How a file is written, as read from its first bytes: the character set (UTF-8, with or without a byte order mark,
 * UTF-16 with one, else Windows-1252 as older Excel writes it), the separator (whichever of {@code , ; tab |} the
 * header line uses most, outside quotes) and the line ending.
 */
record CsvLayout(Charset charset, int bomLength, char separator, String lineEnding) {

    /** How many bytes are enough to decide. */
    static final int SAMPLE = 1 << 16;

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    static CsvLayout detect(byte[] head, int length) {
        Charset charset;
        int bom = 0;
        if (length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            charset = StandardCharsets.UTF_8;
            bom = 3;
        } else if (length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE) {
            charset = StandardCharsets.UTF_16LE;
            bom = 2;
        } else if (length >= 2 && (head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF) {
            charset = StandardCharsets.UTF_16BE;
            bom = 2;
        } else {
            charset = isUtf8(head, length) ? StandardCharsets.UTF_8 : WINDOWS_1252;
        }
        String text = new String(head, bom, length - bom, charset);
        return new CsvLayout(charset, bom, separator(text), lineEnding(text));
    }

    /** What the preview and report say about the file, e.g. "UTF-8 with BOM". */
    String encoding() {
        return charset.name() + (bomLength > 0 ? " with BOM" : "");
    }

    String separatorName() {
        return switch (separator) {
            case '\t' -> "tab";
            case ';' -> "semicolon";
            case '|' -> "pipe";
            default -> "comma";
        };
    }

    /**
     * Valid UTF-8 throughout the sample, allowing for a character cut in two at its end. Windows-1252 text with
     * accents is almost never valid UTF-8, so this tells the two apart.
     */
    private static boolean isUtf8(byte[] head, int length) {
        int end = length;
        if (length == SAMPLE) {
            // Step back to the start of the last character, which may continue after the sample.
            while (end > 0 && end > length - 4 && (head[end - 1] & 0xC0) == 0x80) {
                end--;
            }
            if (end > 0 && (head[end - 1] & 0x80) != 0) {
                end--;
            }
        }
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(head, 0, end));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static char separator(String text) {
        int comma = 0, semicolon = 0, tab = 0, pipe = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '\n' || c == '\r')) {
                break;
            } else if (!quoted) {
                switch (c) {
                    case ',' -> comma++;
                    case ';' -> semicolon++;
                    case '\t' -> tab++;
                    case '|' -> pipe++;
                    default -> {}
                }
            }
        }
        int most = Math.max(Math.max(comma, semicolon), Math.max(tab, pipe));
        if (most == 0 || most == comma) {
            return ',';
        }
        return most == semicolon ? ';' : most == tab ? '\t' : '|';
    }

    private static String lineEnding(String text) {
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '\r') {
                return i + 1 < text.length() && text.charAt(i + 1) == '\n' ? "CRLF" : "CR";
            } else if (!quoted && c == '\n') {
                return "LF";
            }
        }
        return "none";
    }
}
