package dev.steward.core;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Optimistic concurrency over HTTP: a resource's version travels as its ETag and comes back in If-Match. */
public final class Versions {

    private static final Pattern ETAG = Pattern.compile("^(?:W/)?\"(\\d+)\"$");

    private Versions() {}

    public static String etag(long version) {
        return "\"" + version + "\"";
    }

    /**
     * The version a client expects from its If-Match header; an update without one is refused (428) so that no
     * client can overwrite changes it has not seen.
     */
    public static long expected(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new PreconditionRequiredException();
        }
        Matcher matcher = ETAG.matcher(ifMatch.trim());
        if (!matcher.matches()) {
            throw new InvalidInputException(
                    "If-Match", "must be an ETag such as \"3\" as returned by GET, got " + ifMatch);
        }
        return Long.parseLong(matcher.group(1));
    }

    /** An update that came without If-Match. */
    public static class PreconditionRequiredException extends RuntimeException {
        PreconditionRequiredException() {
            super("Send the resource's ETag in If-Match so that concurrent changes are not overwritten");
        }
    }
}
