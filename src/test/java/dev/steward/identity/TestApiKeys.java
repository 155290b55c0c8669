package dev.steward.identity;

import org.springframework.context.ApplicationContext;

/** Creates API keys for tests that talk to a running Steward over HTTP, where no browser signs in first. */
public final class TestApiKeys {

    private TestApiKeys() {}

    /** A read-write key of the user with this email (who must exist), as sent in {@code Authorization: Bearer …}. */
    public static String readWrite(ApplicationContext context, String email) {
        return context.getBean(ApiKeys.class)
                .create(email, new NewApiKey("test", ApiKeyScope.READ_WRITE))
                .secret();
    }
}
