package dev.steward.customer;

import java.util.List;

/**
 * The stages of the customer journey in force, kept by a module that builds on this one (the lifecycle module), which
 * the accounts list and API offer and check in their stage filter; implemented there so that this module need not know
 * it. Each account's current stage is recorded on the account itself (see {@link AccountSnapshots#recordStages}).
 */
public interface JourneyStages {

    /** The stages of the journey in force, in the journey's order; empty before a journey is published. */
    List<JourneyStage> stages();
}
