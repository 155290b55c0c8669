package dev.steward.identity;

import dev.steward.core.SubCommand;
import java.util.List;
import org.springframework.stereotype.Component;

/** {@code audit verify}: checks the audit trail's hash chain and says where it breaks; exit code 1 when it does. */
@Component
class AuditCommand implements SubCommand {

    private final AuditTrail trail;

    AuditCommand(AuditTrail trail) {
        this.trail = trail;
    }

    @Override
    public String name() {
        return "audit verify";
    }

    @Override
    public String usage() {
        return "--steward.database.data-dir=<dir> (or STEWARD_DATABASE_URL)  read the whole audit trail in order,"
                + " recompute each entry's hash, and report the first entry that breaks the chain (exit code 1)";
    }

    @Override
    public int run(List<String> arguments) {
        AuditTrail.Verification verification = trail.verify();
        if (verification.intact()) {
            System.out.printf(
                    "The audit trail is intact: %,d entries, each chained as written.%n", verification.checked());
            return 0;
        }
        System.out.printf(
                "The audit trail is BROKEN at entry %d: %s (%,d entries read).%n",
                verification.brokenAt(), verification.reason(), verification.checked());
        return 1;
    }
}
