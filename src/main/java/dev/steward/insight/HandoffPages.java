package dev.steward.insight;

import dev.steward.core.Formats;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Settings → Admin hand-off: the document a new administrator needs, generated from live data each time it is opened,
 * as a printable page and as a PDF. Administrators only (see the security configuration).
 */
@Controller
class HandoffPages {

    private final Handoff handoff;
    private final Formats formats;

    HandoffPages(Handoff handoff, Formats formats) {
        this.handoff = handoff;
        this.formats = formats;
    }

    @GetMapping("/settings/handoff")
    String page(Model model) {
        model.addAttribute("activeNav", "handoff");
        model.addAttribute("handoff", handoff.current());
        return "insight/handoff";
    }

    @GetMapping(path = "/settings/handoff.pdf", produces = "application/pdf")
    ResponseEntity<byte[]> pdf() {
        Handoff.Document document = handoff.current();
        LocalDate day = document.generatedAt().atOffset(ZoneOffset.UTC).toLocalDate();
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_PDF)
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename("steward-handoff-" + day + ".pdf", StandardCharsets.UTF_8)
                                .build()
                                .toString())
                .body(HandoffPdf.render(document, formats));
    }
}
