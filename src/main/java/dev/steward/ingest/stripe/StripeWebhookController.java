package dev.steward.ingest.stripe;

import dev.steward.ingest.stripe.StripeWebhooks.Receipt;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The webhook endpoint Stripe delivers events to, one per Stripe source; authenticated by the signature alone. It
 * lies outside the documented API (docs/ingest-stripe.md describes it), since only Stripe calls it.
 */
@RestController
class StripeWebhookController {

    static final String PATH = "/webhooks/stripe/{source}";

    private final StripeWebhooks webhooks;

    StripeWebhookController(StripeWebhooks webhooks) {
        this.webhooks = webhooks;
    }

    @PostMapping(PATH)
    Receipt receive(
            @PathVariable String source,
            @RequestBody(required = false) byte[] body,
            @RequestHeader(value = "Stripe-Signature", required = false) String signature) {
        return webhooks.receive(source, body == null ? new byte[0] : body, signature);
    }

    @ExceptionHandler
    ProblemDetail onRefusedSignature(StripeSignature.Refused e) {
        return problem("stripe-signature", "Signature refused", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail onMalformedEvent(StripeWebhooks.MalformedEvent e) {
        ProblemDetail problem = problem("malformed-request", "Malformed request", e.getMessage());
        problem.setProperty("errors", List.of(e.error()));
        return problem;
    }

    private static ProblemDetail problem(String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setType(URI.create("https://steward.dev/problems/" + type));
        problem.setTitle(title);
        return problem;
    }
}
