package dev.steward.lifecycle;

import dev.steward.identity.UserDirectory;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The pilot group over the API: who and how much is in it, CSMs flagged and unflagged, the segments set up. */
@RestController
@RequestMapping("/api/v1/pilot")
class PilotController {

    private final PilotGroup pilot;
    private final UserDirectory users;

    PilotController(PilotGroup pilot, UserDirectory users) {
        this.pilot = pilot;
        this.users = users;
    }

    @GetMapping
    PilotGroup.Summary summary() {
        return pilot.summary();
    }

    @PutMapping("/people/{email}")
    PilotGroup.Summary flag(@PathVariable String email, Authentication authentication) {
        return pilot.flag(email, true, users.signedIn(authentication));
    }

    @DeleteMapping("/people/{email}")
    PilotGroup.Summary unflag(@PathVariable String email, Authentication authentication) {
        return pilot.flag(email, false, users.signedIn(authentication));
    }

    /** Creates the pilot's segments without flagging anyone (accounts are then picked by hand). */
    @PostMapping("/setup")
    PilotGroup.Summary setUp(Authentication authentication) {
        pilot.setUp(users.signedIn(authentication));
        return pilot.summary();
    }
}
