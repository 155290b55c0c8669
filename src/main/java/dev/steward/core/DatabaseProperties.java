package dev.steward.core;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where Steward keeps its data. Without {@code url} an embedded PostgreSQL runs from {@code dataDir}; with it
 * ({@code STEWARD_DATABASE_URL}) Steward uses that server.
 */
@ConfigurationProperties("steward.database")
public record DatabaseProperties(
        String url,
        String username,
        String password,
        Path dataDir,
        Integer embeddedPort,
        Integer poolSize,
        Duration connectionTimeout) {

    public DatabaseProperties {
        dataDir = dataDir == null ? Path.of("steward-data") : dataDir;
        embeddedPort = embeddedPort == null ? 0 : embeddedPort;
        poolSize = poolSize == null ? 10 : poolSize;
        // A request waits at most this long for a connection; then it is answered 503 rather than hanging.
        connectionTimeout = connectionTimeout == null ? Duration.ofSeconds(5) : connectionTimeout;
    }

    boolean external() {
        return url != null && !url.isBlank();
    }
}
