package dev.steward.core;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;

/**
 * Before the banner and before any bean: refuses to start on an embedded database another running Steward holds,
 * with {@link DatabaseInUse}'s one line ({@link DatabaseInUseReporter} prints it instead of a stack trace).
 */
final class DatabaseInUseCheck implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    private final String command;

    /** @param command the sub-command being started, such as {@code import}, or null when serving */
    DatabaseInUseCheck(String command) {
        this.command = command;
    }

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        DatabaseProperties properties = Binder.get(event.getEnvironment())
                .bind("steward.database", DatabaseProperties.class)
                .orElseGet(() -> new DatabaseProperties(null, null, null, null, null, null, null));
        DatabaseInUse.check(properties, command).ifPresent(inUse -> {
            throw inUse;
        });
    }
}
