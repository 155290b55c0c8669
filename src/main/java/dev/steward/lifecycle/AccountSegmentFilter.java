package dev.steward.lifecycle;

import dev.steward.customer.AccountSegments;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Lets the accounts list and API filter by segment: the published segments and their current members. */
@Component
class AccountSegmentFilter implements AccountSegments {

    private final SegmentManagement segments;

    AccountSegmentFilter(SegmentManagement segments) {
        this.segments = segments;
    }

    @Override
    public List<String> names() {
        return segments.publishedNames();
    }

    @Override
    public Optional<Set<UUID>> members(String segment) {
        return segments.memberIds(segment);
    }
}
