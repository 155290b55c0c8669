package dev.steward.core;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
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

    /** The embedded PostgreSQL server, or nothing when an external one is configured. */
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
        pool.setValidationTimeout(Math.min(2_000, properties.connectionTimeout().toMillis() / 2));
        if (properties.external()) {
            pool.setJdbcUrl(properties.url());
            pool.setUsername(properties.username());
            pool.setPassword(properties.password());
            log.info("Using PostgreSQL at {}", properties.url());
        } else {
            pool.setJdbcUrl(embedded.jdbcUrl());
            pool.setUsername(embedded.username());
            pool.setPassword(embedded.password());
        }
        return pool;
    }
}
