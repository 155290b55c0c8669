package dev.steward.identity;

/** A user to create; without a password they cannot sign in until one is set. */
public record NewUser(String email, String displayName, Role role, String password) {

    @Override
    public String toString() {
        return "NewUser[email=" + email + ", displayName=" + displayName + ", role=" + role + "]";
    }
}
