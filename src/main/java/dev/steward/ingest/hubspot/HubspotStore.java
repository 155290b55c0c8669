package dev.steward.ingest.hubspot;

import dev.steward.ingest.sync.PullConnections;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Repository;

/**
 * HubSpot connections (settings, the sealed token, the schedule); each feed's cursor, how each company became an
 * account, the parents companies name and what was written back are kept as every pulled source's are (FeedCursors,
 * CompanyMatches, CompanyParents, PushedValues).
 */
@Repository
class HubspotStore {

    /**
     * What Steward pulls from HubSpot, in this order (companies before what names them): each object's search, and
     * the property that says when a record was last changed.
     */
    enum Feed {
        companies("hs_lastmodifieddate"),
        contacts("lastmodifieddate"),
        deals("hs_lastmodifieddate"),
        /** Not a search: the health of the companies' accounts written back to HubSpot, when the connection asks. */
        write_back("");

        private final String modified;

        Feed(String modified) {
            this.modified = modified;
        }

        String modified() {
            return modified;
        }
    }

    /**
     * A connection's settings as stored (the token is kept apart, sealed): the portal the token belongs to and its
     * address, the source whose external ids are in the companies' property {@code externalIdProperty}, and whether
     * each pull writes the accounts' health back to HubSpot, with Steward's address for the link to each account; for
     * an OAuth app (null for a private app), its client id and the scopes consented to.
     */
    record Settings(
            long portalId,
            String uiDomain,
            @Nullable String accountsSource,
            @Nullable String externalIdProperty,
            boolean writeBack,
            @Nullable String stewardUrl,
            @Nullable String clientId,
            @Nullable String scopes) {

        Settings(
                long portalId,
                String uiDomain,
                @Nullable String accountsSource,
                @Nullable String externalIdProperty,
                boolean writeBack,
                @Nullable String stewardUrl) {
            this(portalId, uiDomain, accountsSource, externalIdProperty, writeBack, stewardUrl, null, null);
        }

        /** The same settings for a private app's token. */
        Settings privateApp() {
            return new Settings(portalId, uiDomain, accountsSource, externalIdProperty, writeBack, stewardUrl);
        }
    }

    /** What an OAuth app's connection keeps sealed: its client secret and the refresh token HubSpot gave. */
    record AppSecret(String clientSecret, String refreshToken) {}

    /** An OAuth app's authorization under way: the settings to keep and where HubSpot sends the administrator back. */
    record Pending(Settings settings, int everyMinutes, String redirectUri) {}

    private final PullConnections connections;

    HubspotStore(PullConnections connections) {
        this.connections = connections;
    }

    Optional<PullConnections.Connection<Settings>> connection(UUID source) {
        return connections.find(source, Settings.class);
    }
}
