package dev.steward.ingest.export;

import dev.failsafe.RateLimiter;
import dev.steward.ingest.TranslatedEvents.Vendor;
import dev.steward.ingest.sync.VendorHttp;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Amplitude's Export API and Mixpanel's raw event export as Steward's pulls call them, a day (or an hour) at a time,
 * each answer read as it arrives and handed on a line at a time, never held whole: Amplitude's zip archive of gzipped
 * JSON-lines files, one per hour, and Mixpanel's JSON lines (gzipped when it says so). Within the source's limit,
 * waiting out a 429 and retrying a 5xx (see {@link VendorHttp}). Addresses are the region's, or {@code
 * steward.event-exports.amplitude-url} / {@code mixpanel-url} for every source (tests).
 */
@Component
class EventExportApi {

    /** Amplitude's hosts by region: the Export API is on the web host, not the ingestion host. */
    static final Map<String, String> AMPLITUDE_HOSTS =
            Map.of("us", "amplitude.com", "eu", "analytics.eu.amplitude.com");

    /** Mixpanel's export hosts by data residency. */
    static final Map<String, String> MIXPANEL_HOSTS =
            Map.of("us", "data.mixpanel.com", "eu", "data-eu.mixpanel.com", "in", "data-in.mixpanel.com");

    private static final DateTimeFormatter AMPLITUDE_DAY = DateTimeFormatter.BASIC_ISO_DATE;

    /**
     * How Steward signs in to one project: Amplitude's API key and secret key, or a Mixpanel service account's user
     * name and secret with the project's id; both sent as HTTP Basic.
     */
    record Credentials(
            Vendor vendor,
            String region,
            String user,
            String secret,
            @Nullable String projectId) {

        String host() {
            return (vendor == Vendor.amplitude ? AMPLITUDE_HOSTS : MIXPANEL_HOSTS).get(region);
        }
    }

    /** Takes the lines of an export as they are read: the file they are in (Amplitude's hour), their number there. */
    @FunctionalInterface
    interface Lines {
        void line(String file, long number, String line);
    }

    private final VendorHttp amplitude;
    private final VendorHttp mixpanel;
    private final EventExportProperties properties;

    EventExportApi(EventExportProperties properties, ObjectMapper json, Clock clock) {
        this.properties = properties;
        this.amplitude = new VendorHttp(settings("Amplitude", properties), json, clock, EventExportApi::message);
        this.mixpanel = new VendorHttp(settings("Mixpanel", properties), json, clock, EventExportApi::message);
    }

    /**
     * Reads the events of one day (UTC), or of one hour of it when {@code hour} is given (Mixpanel: its first event),
     * handing each line on; answers
     * false when the vendor has no data for it (Amplitude answers 404), true otherwise. {@code source} (null: not
     * counted against a source's limit, as when credentials are tried) names the limiter.
     */
    boolean read(
            @Nullable UUID source,
            Credentials credentials,
            LocalDate day,
            @Nullable Integer hour,
            VendorHttp.@Nullable Calls calls,
            Lines lines) {
        Map<String, String> headers = Map.of(
                HttpHeaders.AUTHORIZATION, basic(credentials), HttpHeaders.ACCEPT, "*/*", "Accept-Encoding", "gzip");
        if (credentials.vendor() == Vendor.amplitude) {
            String from = AMPLITUDE_DAY.format(day) + "T" + (hour == null ? "00" : String.format("%02d", hour));
            String to = AMPLITUDE_DAY.format(day) + "T" + (hour == null ? "23" : String.format("%02d", hour));
            URI uri = URI.create(baseUrl(credentials) + "/api/2/export?start=" + from + "&end=" + to);
            try {
                return amplitude.stream(
                        uri,
                        headers,
                        source == null ? null : limiter(amplitude, source, properties.amplitudeCallsPerHour()),
                        calls,
                        (h, body) -> zip(decoded(h, body), lines));
            } catch (VendorHttp.Refused e) {
                if (e.status() == 404) {
                    return false; // Amplitude's answer for a range with no data
                }
                throw e;
            }
        }
        String date = day.toString();
        URI uri = URI.create(baseUrl(credentials) + "/api/2.0/export?from_date=" + date + "&to_date=" + date
                + (credentials.projectId() == null ? "" : "&project_id=" + credentials.projectId())
                // Mixpanel exports whole days: an hour asked for (credentials being tried) is its first event.
                + (hour == null ? "" : "&limit=1"));
        return mixpanel.stream(
                uri,
                headers,
                source == null ? null : limiter(mixpanel, source, properties.mixpanelCallsPerHour()),
                calls,
                (h, body) -> {
                    lines(decoded(h, body), "export of " + date, lines);
                    return true;
                });
    }

    /** Amplitude's answer: a zip archive of one gzipped JSON-lines file per hour ({@code <project>_<date>_<hour>#<n>.json.gz}). */
    private static boolean zip(InputStream body, Lines lines) throws IOException {
        // A zip archive begins with a file's header, or with the end record when it holds none: anything else (a page
        // of a proxy's) would read as an archive of no files, a day with no data, and be lost.
        BufferedInputStream in = new BufferedInputStream(body);
        in.mark(4);
        byte[] signature = in.readNBytes(4);
        in.reset();
        boolean archive = signature.length == 4
                && signature[0] == 'P'
                && signature[1] == 'K'
                && (signature[2] == 3 && signature[3] == 4 || signature[2] == 5 && signature[3] == 6);
        if (!archive) {
            throw new VendorHttp.Refused(
                    200,
                    "Amplitude's export is not a zip archive (it begins with '"
                            + new String(signature, StandardCharsets.ISO_8859_1).replaceAll("\\p{Cntrl}", "?") + "')");
        }
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entry.isDirectory()) {
                    continue;
                }
                String name = entry.getName().substring(entry.getName().lastIndexOf('/') + 1);
                InputStream file = new FilterInputStream(zip) {
                    @Override
                    public void close() {
                        // the archive's next file follows: closing this one must not close the archive
                    }
                };
                lines(name.endsWith(".gz") ? new GZIPInputStream(file) : file, name, lines);
            }
        } catch (ZipException e) {
            throw new VendorHttp.Refused(
                    200, "Amplitude's export is not a zip archive of gzipped files: " + e.getMessage());
        }
        return true;
    }

    /** The body as sent, whether or not the server compressed it on the way (Steward asks it to). */
    private static InputStream decoded(HttpHeaders headers, InputStream body) throws IOException {
        return "gzip".equalsIgnoreCase(headers.getFirst(HttpHeaders.CONTENT_ENCODING))
                ? new GZIPInputStream(body)
                : body;
    }

    private static void lines(InputStream in, String file, Lines lines) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        long number = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            number++;
            if (!line.isBlank()) {
                lines.line(file, number, line);
            }
        }
    }

    private RateLimiter<Object> limiter(VendorHttp http, UUID source, int perHour) {
        return http.limiter(source.toString(), perHour, Duration.ofHours(1));
    }

    private String baseUrl(Credentials credentials) {
        String configured =
                credentials.vendor() == Vendor.amplitude ? properties.amplitudeUrl() : properties.mixpanelUrl();
        return configured != null ? configured.replaceAll("/+$", "") : "https://" + credentials.host();
    }

    private static String basic(Credentials credentials) {
        return "Basic "
                + Base64.getEncoder()
                        .encodeToString(
                                (credentials.user() + ":" + credentials.secret()).getBytes(StandardCharsets.UTF_8));
    }

    private static VendorHttp.Settings settings(String vendor, EventExportProperties p) {
        return new VendorHttp.Settings(
                vendor,
                "steward.event-exports",
                p.maxRetries(),
                p.backoff(),
                p.maxBackoff(),
                p.maxRetryAfter(),
                p.timeout());
    }

    /** The vendor's words in a refusal: Mixpanel's {@code {"error": "…"}}; Amplitude answers text, which is said as the status. */
    private static @Nullable String message(JsonNode body) {
        String error = body.path("error").asString("");
        return error.isBlank() ? null : error;
    }
}
