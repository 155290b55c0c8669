package dev.steward.identity;

import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Makes sure a fresh Steward has an administrator to sign in with. Without a configured password it invents a
 * one-time password, prints it where whoever started Steward will see it, and makes the administrator replace it on
 * first sign-in. Runs before other start-up work (such as the demo loader, which creates users of its own).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class FirstAdministrator implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(FirstAdministrator.class);

    private final UserManagement users;
    private final String email;
    private final String password;
    private final String port;

    FirstAdministrator(
            UserManagement users,
            @Value("${steward.admin.email:admin@steward.local}") String email,
            @Value("${steward.admin.password:}") String password,
            @Value("${server.port:8080}") String port) {
        this.users = users;
        this.email = email;
        this.password = password;
        this.port = port;
    }

    @Override
    public void run(ApplicationArguments args) {
        boolean generated = password == null || password.isBlank();
        String chosen = generated ? oneTimePassword() : password;
        if (!users.createFirstAdministrator(email, chosen, generated)) {
            if (generated && users.renewUsedOneTimePassword(email, chosen)) {
                log.warn(banner(
                        "The one-time password printed before was used to sign in, but never replaced.",
                        "",
                        "  Sign in at  http://localhost:" + port,
                        "  Email       " + email,
                        "  Password    " + chosen,
                        "",
                        "This new password works once: choose your own right after signing in."));
            }
            return;
        }
        if (generated) {
            log.warn(banner(
                    "Steward created the first administrator.",
                    "",
                    "  Sign in at  http://localhost:" + port,
                    "  Email       " + email,
                    "  Password    " + chosen,
                    "",
                    "This password works once: you will choose your own after signing in.",
                    "Set steward.admin.email and steward.admin.password to choose them yourself."));
        } else {
            log.info("Created the first administrator {} with the configured password", email);
        }
    }

    static String oneTimePassword() {
        byte[] bytes = new byte[15];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String banner(String... lines) {
        int width = 0;
        for (String line : lines) {
            width = Math.max(width, line.length());
        }
        String edge = "+" + "-".repeat(width + 4) + "+";
        StringBuilder box = new StringBuilder("\n").append(edge).append('\n');
        for (String line : lines) {
            box.append("|  ")
                    .append(line)
                    .append(" ".repeat(width - line.length()))
                    .append("  |\n");
        }
        return box.append(edge).toString();
    }
}
