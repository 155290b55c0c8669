package dev.steward.playbook;

import java.util.UUID;
import org.springframework.stereotype.Component;

/** Tells people about their CTAs, in the transaction that made or changed them (wired to the notify module). */
@Component
class CtaNotices {

    /** A CTA was made for its owner. */
    void created(UUID cta, UUID owner, String account, String title) {}

    /** A CTA is overdue: its owner's manager hears of it. */
    void escalated(UUID cta, UUID manager, UUID owner, String account, String title) {}

    /** A CTA came to another owner. */
    void reassigned(UUID cta, UUID owner, String account, String title, String by) {}
}
