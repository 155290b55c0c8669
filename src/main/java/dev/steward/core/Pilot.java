package dev.steward.core;

/**
 * The pilot group: the accounts a new scorecard or playbook is tried on before it is rolled out to everyone (the seeds'
 * 10–20 % of accounts). It is a segment kept by the lifecycle module — accounts picked by hand and the accounts of the
 * CSMs flagged for the pilot — so its history, filters and splits are every segment's; a scorecard or playbook marked
 * {@code pilot: true} applies only to its members.
 */
public final class Pilot {

    /** The segment whose members are the pilot group. */
    public static final String SEGMENT = "Pilot";

    /** The static segment of accounts picked for the pilot by hand. */
    public static final String PICKED = "Pilot accounts";

    private Pilot() {}

    /** A condition that holds only for the pilot group's accounts for which the given condition holds. */
    public static String only(String condition) {
        return "\"" + SEGMENT + "\" in segments && (" + condition + ")";
    }
}
