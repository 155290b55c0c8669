package dev.steward.customer;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Named sets of accounts kept by a module that builds on this one (the lifecycle module's segments), by which the
 * accounts list and API filter; implemented there so that this module need not know it.
 */
public interface AccountSegments {

    /** The segments to offer in the accounts list's filter, by name. */
    List<String> names();

    /** The ids of the segment's members now, or empty when there is no segment of that name. */
    Optional<Set<UUID>> members(String segment);
}
