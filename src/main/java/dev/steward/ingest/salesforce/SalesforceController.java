package dev.steward.ingest.salesforce;

import dev.steward.core.PageLimit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Salesforce sources, their authorizations and pulls; for administrators. */
@RestController
@RequestMapping("/api/v1/salesforce")
@Tag(name = "Salesforce", description = "Accounts, contacts and opportunities pulled from a Salesforce org")
class SalesforceController {

    /** A new Salesforce source: its name and how Steward signs in (see {@link SalesforceSources.ConnectionInput}). */
    record NewSalesforce(
            String name,
            @Nullable String flow,
            @Nullable String loginUrl,
            @Nullable String clientId,
            @Nullable String clientSecret,
            @Nullable String refreshToken,
            @Nullable String username,
            @Nullable String privateKey,
            @Nullable String accountsSource,
            @Nullable String externalIdField,
            @Nullable String roleField,
            @Nullable Integer allowancePercent,
            @Nullable Integer everyMinutes,
            @Nullable Boolean paused,
            @Nullable Boolean writeBack,
            @Nullable String stewardUrl,
            SalesforceSources.@Nullable FieldsInput fields) {

        SalesforceSources.ConnectionInput input() {
            return new SalesforceSources.ConnectionInput(
                    flow,
                    loginUrl,
                    clientId,
                    clientSecret,
                    refreshToken,
                    username,
                    privateKey,
                    accountsSource,
                    externalIdField,
                    roleField,
                    allowancePercent,
                    everyMinutes,
                    paused,
                    writeBack,
                    stewardUrl,
                    fields);
        }
    }

    private final SalesforceSources salesforce;

    SalesforceController(SalesforceSources salesforce) {
        this.salesforce = salesforce;
    }

    @PostMapping("/sources")
    @Operation(
            summary = "Connect Salesforce",
            description = "flow jwt_bearer (the default): clientId (the connected app's consumer key), username (the"
                    + " user Steward acts as) and privateKey (PEM, PKCS #8; the app holds its certificate). flow"
                    + " web_server: clientId, clientSecret and a refreshToken obtained before (else start an"
                    + " authorization). loginUrl defaults to https://login.salesforce.com. Steward asks for an access"
                    + " token and reads the org's limits first: a refusal is a 422 naming the field, with Salesforce's"
                    + " reason, and nothing is kept. Secrets are stored encrypted and never shown again. everyMinutes"
                    + " (5 to 10080, default 30); allowancePercent (1 to 100, default 50): the share of the org's daily"
                    + " API requests past which a pull stops; accountsSource and externalIdField: the source whose ids"
                    + " an Account field holds; roleField: a Contact field holding a buying role; writeBack (needs"
                    + " stewardUrl) writes health into the Account custom fields named by fields. 409 if the name is"
                    + " taken.")
    ResponseEntity<SalesforceSources.SalesforceView> create(@RequestBody NewSalesforce input) {
        SalesforceSources.SalesforceView view = salesforce.create(input.name(), input.input());
        return ResponseEntity.created(URI.create("/api/v1/salesforce/sources/" + view.name()))
                .body(view);
    }

    @PostMapping("/authorizations")
    @Operation(
            summary = "Start connecting Salesforce with the web-server flow",
            description = "Give the source's name, clientId and clientSecret (and the other settings as when"
                    + " connecting). Answers authorizeUrl: open it as the Salesforce user Steward acts as; Salesforce"
                    + " sends the browser back to redirectUri (add it to the connected app's callback URLs), and"
                    + " Steward exchanges the code for tokens, tries them and makes the source.")
    ResponseEntity<SalesforceSources.AuthorizationView> authorize(@RequestBody NewSalesforce input) {
        SalesforceSources.AuthorizationView view =
                salesforce.authorize(input.name(), input.input(), redirectUri(input.stewardUrl()));
        return ResponseEntity.created(URI.create(view.authorizeUrl())).body(view);
    }

    @GetMapping("/sources")
    @Operation(summary = "The Salesforce sources")
    List<SalesforceSources.SalesforceView> list() {
        return salesforce.all();
    }

    @GetMapping("/sources/{name}")
    @Operation(summary = "A Salesforce source with each feed's cursor, its latest pulls and the org's API allowance")
    SalesforceSources.SalesforceView get(@PathVariable String name) {
        return salesforce.get(name);
    }

    @PatchMapping("/sources/{name}")
    @Operation(
            summary = "Change a connection",
            description = "Fields left out stay as they are; new credentials are tried first (422 as on connecting)."
                    + " paused stops the schedule (pulls can still be started by hand).")
    SalesforceSources.SalesforceView update(
            @PathVariable String name, @RequestBody SalesforceSources.ConnectionInput input) {
        return salesforce.update(name, input);
    }

    @PostMapping("/sources/{name}/pulls")
    @Operation(
            summary = "Pull now",
            description = "Starts a pull of every feed from its cursor (202); its runs show in runs. 409 while one runs"
                    + " or is about to.")
    ResponseEntity<SalesforceSources.SalesforceView> pull(@PathVariable String name) {
        salesforce.pullNow(name);
        return ResponseEntity.accepted().body(salesforce.get(name));
    }

    @GetMapping("/sources/{name}/runs")
    @Operation(
            summary = "The latest pulls",
            description = "Newest first, one run per feed (accounts, contacts, opportunities, write_back): counts, API"
                    + " calls, cursors, first rejected records, why a run stopped, and allowance: the org's daily API"
                    + " requests used of its allowance as Salesforce last reported them in the run.")
    List<SalesforceSources.RunView> runs(@PathVariable String name, @RequestParam(required = false) Integer limit) {
        return salesforce.runs(name, new PageLimit(20, 200).of(limit));
    }

    /** Where Salesforce sends the administrator back: Steward's address as given, else as this request reached it. */
    static String redirectUri(@Nullable String stewardUrl) {
        String base = stewardUrl == null || stewardUrl.isBlank()
                ? ServletUriComponentsBuilder.fromCurrentContextPath().toUriString()
                : stewardUrl.strip().replaceAll("/+$", "");
        return base + SalesforcePages.CALLBACK;
    }
}
