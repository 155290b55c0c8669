package dev.steward.insight;

import dev.steward.identity.UserDirectory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/insight/adoption")
@Tag(
        name = "Adoption",
        description = "How much each CSM and manager uses Steward, week by week: sign-ins, accounts looked at,"
                + " sentiment recorded, overrides set, CTAs worked and how soon someone acted after a customer turned"
                + " Red. See docs/adoption.md for what each figure means exactly.")
class AdoptionController {

    private final Adoptions adoptions;
    private final UserDirectory users;

    AdoptionController(Adoptions adoptions, UserDirectory users) {
        this.adoptions = adoptions;
        this.users = users;
    }

    @GetMapping
    @Operation(
            summary = "Per CSM and ISO week: sign-ins, accounts viewed, sentiment, overrides, CTAs worked, and the"
                    + " median days from a customer turning Red to the first action",
            description = "The last 'weeks' weeks (default 12, 1 to 52), Monday to Sunday in Steward's time zone, this"
                    + " week included (up to now). People: users with role CSM or MANAGER who own a customer today or"
                    + " signed in during the weeks; an ADMIN or VIEWER sees everyone, a MANAGER their team, a CSM"
                    + " themselves. Sign-ins and accounts viewed are null in weeks before Steward recorded any; the"
                    + " median is null without a Red change acted on. 'totals' adds up the people shown.")
    Adoption adoption(
            @Parameter(description = "how many weeks, this one included") @RequestParam(defaultValue = "12") int weeks,
            Authentication authentication) {
        return adoptions.adoption(weeks, users.signedIn(authentication));
    }
}
