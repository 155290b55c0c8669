package dev.steward.core;

import java.time.Duration;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;

/** The user documentation as pages of Steward: an index, each doc rendered in the layout, and its screenshots. */
@Controller
@RequestMapping("/docs")
class DocumentationPages {

    private final Documentation documentation;

    DocumentationPages(Documentation documentation) {
        this.documentation = documentation;
    }

    @GetMapping
    String index(Model model) {
        model.addAttribute("docs", documentation.index());
        model.addAttribute("activeNav", "docs");
        return "docs/index";
    }

    @GetMapping("/{name}")
    String page(@PathVariable String name, Model model) {
        model.addAttribute(
                "doc",
                documentation
                        .page(name)
                        .orElseThrow(() -> new NotFoundException("There is no documentation page '" + name + "'.")));
        model.addAttribute("activeNav", "docs");
        return "docs/page";
    }

    @GetMapping("/screenshots/{file}")
    ResponseEntity<byte[]> screenshot(@PathVariable String file) {
        return documentation
                .screenshot(file)
                .map(bytes -> ResponseEntity.ok()
                        .contentType(MediaType.IMAGE_PNG)
                        .cacheControl(CacheControl.maxAge(Duration.ofHours(1)))
                        .body(bytes))
                .orElseThrow(() -> new NotFoundException("There is no screenshot '" + file + "'."));
    }
}
