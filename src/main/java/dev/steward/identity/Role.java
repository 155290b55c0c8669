package dev.steward.identity;

/** What a user may do. VIEWER reads only; CSM works their accounts; MANAGER and ADMIN configure. */
public enum Role {
    ADMIN,
    MANAGER,
    CSM,
    VIEWER
}
