package dev.steward.notify;

import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A file sent with an email: its name as the recipient sees it, its media type and its bytes. Checks itself when made:
 * a plain file name (no folders, at most 200 characters), a media type such as {@code application/pdf} or
 * {@code text/csv; charset=UTF-8}, and at most {@value #MAX_BYTES} bytes.
 */
public record Attachment(String fileName, String contentType, byte[] content) {

    /** The most one file may hold (10 MB); an email holds at most {@link Email#MAX_TOTAL_BYTES} in all. */
    public static final int MAX_BYTES = 10 * 1024 * 1024;

    static final int MAX_NAME = 200;
    private static final Pattern NAME = Pattern.compile("[^/\\\\\\p{Cntrl}\"]+");
    private static final Pattern TYPE =
            Pattern.compile("[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*(; *[a-z-]+=[A-Za-z0-9._-]+)*");

    public Attachment {
        if (fileName == null || fileName.isBlank()) {
            throw new IllegalArgumentException("fileName: is required");
        }
        fileName = fileName.strip();
        if (fileName.length() > MAX_NAME || !NAME.matcher(fileName).matches() || fileName.startsWith(".")) {
            throw new IllegalArgumentException("fileName: must be a file name without folders, quotes or control"
                    + " characters, at most " + MAX_NAME + " characters, not '" + fileName + "'");
        }
        if (contentType == null || !TYPE.matcher(contentType).matches()) {
            throw new IllegalArgumentException(
                    "contentType: must be a media type such as application/pdf, not '" + contentType + "'");
        }
        Objects.requireNonNull(content, "content");
        if (content.length > MAX_BYTES) {
            throw new IllegalArgumentException(
                    "content: " + fileName + " has " + content.length + " bytes, more than " + MAX_BYTES);
        }
        content = content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Attachment that
                && fileName.equals(that.fileName)
                && contentType.equals(that.contentType)
                && Arrays.equals(content, that.content);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fileName, contentType, Arrays.hashCode(content));
    }

    @Override
    public String toString() {
        return fileName + " (" + contentType + ", " + content.length + " bytes)";
    }
}
