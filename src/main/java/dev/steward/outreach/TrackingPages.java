package dev.steward.outreach;

import java.net.URI;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The tracking pixel and the tracked links of journeys' emails, fetched without signing in by the contact's mail
 * program or browser: the signature in the address is the proof (see {@link OpenTracking}).
 */
@Controller
class TrackingPages {

    /** A transparent 1×1 GIF. */
    private static final byte[] PIXEL =
            Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private final OpenTracking tracking;

    TrackingPages(OpenTracking tracking) {
        this.tracking = tracking;
    }

    /** The pixel, whatever the signature (a forged one records nothing and learns nothing). */
    @GetMapping("/email/track/{send}/{signature}.gif")
    ResponseEntity<byte[]> pixel(@PathVariable String send, @PathVariable String signature) {
        uuid(send).ifPresent(id -> tracking.open(id, signature));
        return ResponseEntity.ok()
                .contentType(MediaType.IMAGE_GIF)
                .cacheControl(CacheControl.noStore())
                .body(PIXEL);
    }

    /** Records the click and redirects to the link's page; a link changed in any way leads nowhere. */
    @GetMapping("/email/track/{send}/{signature}/click")
    ResponseEntity<String> click(
            @PathVariable String send, @PathVariable String signature, @RequestParam(defaultValue = "") String url) {
        Optional<URI> target =
                url.length() > 2000 ? Optional.empty() : uuid(send).flatMap(id -> tracking.click(id, signature, url));
        if (target.isEmpty()) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND)
                    .contentType(MediaType.TEXT_PLAIN)
                    .body("This link is not valid.");
        }
        return ResponseEntity.status(HttpStatus.FOUND)
                .location(target.get())
                .cacheControl(CacheControl.noStore())
                .build();
    }

    private static Optional<UUID> uuid(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
