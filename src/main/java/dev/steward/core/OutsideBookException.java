package dev.steward.core;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The signed-in person (or their API key) asked to change an account outside their book: a CSM changes the accounts
 * they own, a manager those of their team, an administrator every one. Answered with 403 and a sentence saying whose
 * book the account is in and what the person may change instead; {@code account} is {@code null} for a request that
 * crosses books as a whole (a bulk load, an import).
 */
public class OutsideBookException extends RuntimeException {

    private final @Nullable UUID account;

    public OutsideBookException(@Nullable UUID account, String sentence) {
        super(sentence);
        this.account = account;
    }

    public @Nullable UUID account() {
        return account;
    }
}
