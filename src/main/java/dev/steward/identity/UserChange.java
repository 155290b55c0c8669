package dev.steward.identity;

/** A change to a user: each field that is not null replaces the current value. */
public record UserChange(String displayName, Role role, Boolean enabled, String password) {

    @Override
    public String toString() {
        return "UserChange[displayName=" + displayName + ", role=" + role + ", enabled=" + enabled + "]";
    }
}
