package dev.steward.ingest.stripe;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The webhook endpoint Stripe delivers events to, one per Stripe source; authenticated by the signature alone. It
 * lies outside the documented API (docs/ingest-stripe.md describes it), since only Stripe calls it. A body larger
 * than {@link #MAX_BODY_BYTES} is refused with 413 before it is read, so that nobody can make Steward read and hash
 * hundreds of megabytes by posting them unsigned.
 */
@RestController
class StripeWebhookController {

    static final String PATH = "/webhooks/stripe/{source}";

    /** The largest delivery read: Stripe's events are a few kilobytes, their biggest invoices well under this. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private final StripeWebhooks webhooks;

    StripeWebhookController(StripeWebhooks webhooks) {
        this.webhooks = webhooks;
    }

    @PostMapping(PATH)
    ResponseEntity<?> receive(
            @PathVariable String source,
            @RequestHeader(value = "Stripe-Signature", required = false) String signature,
            HttpServletRequest request)
            throws IOException {
        webhooks.source(source);
        long declared = request.getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            return tooLarge("the body is " + declared + " bytes");
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            return tooLarge("the body is larger than that");
        }
        return ResponseEntity.ok(webhooks.receive(source, body, signature));
    }

    private static ResponseEntity<ProblemDetail> tooLarge(String what) {
        ProblemDetail problem = problem(
                HttpStatus.CONTENT_TOO_LARGE,
                "too-large",
                "Delivery too large",
                what + "; a Stripe delivery may be at most " + MAX_BODY_BYTES + " bytes (1 MB)");
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    @ExceptionHandler
    ProblemDetail onRefusedSignature(StripeSignature.Refused e) {
        return problem(HttpStatus.BAD_REQUEST, "stripe-signature", "Signature refused", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail onMalformedEvent(StripeWebhooks.MalformedEvent e) {
        ProblemDetail problem =
                problem(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request", e.getMessage());
        problem.setProperty("errors", List.of(e.error()));
        return problem;
    }

    private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://steward.dev/problems/" + type));
        problem.setTitle(title);
        return problem;
    }
}
