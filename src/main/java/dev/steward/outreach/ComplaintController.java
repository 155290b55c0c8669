package dev.steward.outreach;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The complaints webhook: feedback-loop reports posted by a mail provider with an administrator's key. */
@RestController
@Tag(name = "Email journeys")
class ComplaintController {

    private final Complaints complaints;

    ComplaintController(Complaints complaints) {
        this.complaints = complaints;
    }

    @PostMapping("/api/v1/outreach/complaints")
    @Operation(
            summary = "A spam complaint about an email to a contact, from a feedback loop",
            description = "{email, feedbackType, source, subject}. Puts the address off customer mail (reason"
                    + " complaint), stops its journeys and shows the complaint on its accounts' timelines. ADMIN only.")
    Complaints.Handled complain(@RequestBody Complaints.Complaint complaint) {
        return complaints.complain(complaint);
    }
}
