package dev.steward.customer;

import java.util.List;
import java.util.UUID;

/**
 * The people a manager manages, kept by a module that builds on this one (the lifecycle module's books of business),
 * so that the accounts list opens on a manager's team's accounts and book permissions know a team; implemented there
 * so that this module need not know it.
 */
public interface OwnerTeams {

    /** The manager and the people they manage, the manager first; only the manager while they manage nobody. */
    List<UUID> team(UUID manager);

    /** Whether any team is defined: without teams, a manager's team is not known. */
    boolean defined();

    /**
     * The people in the same team as {@code member}, the member and the team's manager included; only the member when
     * they are in no team.
     */
    List<UUID> teammates(UUID member);
}
