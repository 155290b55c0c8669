package dev.steward.ingest.hubspot;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Connecting a HubSpot OAuth app (authorization code with refresh); for administrators. */
@RestController
@RequestMapping("/api/v1/hubspot/authorizations")
@Tag(name = "HubSpot", description = "Companies, contacts and deals pulled from HubSpot's CRM")
class HubspotAuthorizationController {

    /** A new HubSpot source through an OAuth app: its name, the app's client and the scopes to ask for. */
    record NewHubspotApp(
            String name,
            @Nullable String clientId,
            @Nullable String clientSecret,
            @Nullable String scopes,
            @Nullable String accountsSource,
            @Nullable String externalIdProperty,
            @Nullable Integer everyMinutes,
            @Nullable Boolean writeBack,
            @Nullable String stewardUrl) {}

    private final HubspotSources hubspot;

    HubspotAuthorizationController(HubspotSources hubspot) {
        this.hubspot = hubspot;
    }

    @PostMapping
    @Operation(
            summary = "Start connecting HubSpot with an OAuth app",
            description = "Give the source's name, the app's clientId and clientSecret, and optionally scopes"
                    + " (separated by spaces; by default " + HubspotSources.READ_SCOPES + ", and "
                    + HubspotSources.WRITE_SCOPES + " with writeBack) and the other settings as when connecting with a"
                    + " token. Answers authorizeUrl: open it as a HubSpot user of the account to connect; HubSpot sends"
                    + " the browser back to redirectUri (add it to the app's redirect URLs), and Steward exchanges the"
                    + " code for tokens (POST /oauth/v1/token), asks whose account it is, and makes the source; the"
                    + " client secret and refresh token are stored encrypted, the access token renewed before it"
                    + " expires and when HubSpot answers 401. The consent must be given within an hour.")
    ResponseEntity<HubspotSources.AuthorizationView> authorize(@RequestBody NewHubspotApp input) {
        HubspotSources.AuthorizationView view = hubspot.authorize(
                input.name(),
                new HubspotSources.AppInput(
                        input.clientId(),
                        input.clientSecret(),
                        input.scopes(),
                        input.accountsSource(),
                        input.externalIdProperty(),
                        input.everyMinutes(),
                        input.writeBack(),
                        input.stewardUrl()),
                redirectUri(input.stewardUrl()));
        return ResponseEntity.created(URI.create(view.authorizeUrl())).body(view);
    }

    /** Where HubSpot sends the administrator back: Steward's address as given, else as this request reached it. */
    static String redirectUri(@Nullable String stewardUrl) {
        String base = stewardUrl == null || stewardUrl.isBlank()
                ? ServletUriComponentsBuilder.fromCurrentContextPath().toUriString()
                : stewardUrl.strip().replaceAll("/+$", "");
        return base + HubspotPages.CALLBACK;
    }
}
