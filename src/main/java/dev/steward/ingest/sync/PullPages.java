package dev.steward.ingest.sync;

import dev.steward.core.ConflictException;
import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.ingest.Sources;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.ui.Model;

/**
 * What the pages of every pulled source share (Zendesk, Intercom…): the connect form on the data sources page, which
 * goes to the new source's page or comes back with the reason; Pull now on the source's panel; and the sentence a
 * refused field reads as.
 */
public final class PullPages {

    private PullPages() {}

    /**
     * Connects through {@code connect} (which answers the new source's name) and goes to its page. A refusal comes back
     * on the data sources page with the field and the reason ({@code <vendor>Field}, {@code <vendor>Error}) and the
     * form's values as {@code echo} puts them back (never a token).
     */
    public static String connect(
            String vendor,
            String name,
            Supplier<String> connect,
            Map<String, String> labels,
            Runnable echo,
            Sources sources,
            Model model) {
        try {
            return "redirect:/sources/" + connect.get();
        } catch (InvalidInputException e) {
            FieldError error = e.errors().get(0);
            model.addAttribute(vendor + "Field", error.field());
            model.addAttribute(vendor + "Error", sentence(error, labels));
        } catch (ConflictException e) {
            model.addAttribute(vendor + "Field", "name");
            model.addAttribute(
                    vendor + "Error", "A source named '" + name.strip() + "' already exists; choose another name.");
        }
        model.addAttribute("activeNav", "sources");
        model.addAttribute("sources", sources.all());
        echo.run();
        return "ingest/sources";
    }

    /** Starts a pull from the panel: {@code pullStarted}, or {@code pullError} when one runs already. */
    public static void pullNow(Runnable pullNow, Model model) {
        try {
            pullNow.run();
            model.addAttribute("pullStarted", true);
        } catch (ConflictException e) {
            model.addAttribute("pullError", e.getMessage());
        }
    }

    /** A refused field as a sentence: its label (the vendor's own, else the fields every pulled source has), the reason. */
    public static String sentence(FieldError error, Map<String, String> labels) {
        String field = error.field() == null ? "" : error.field();
        String label = labels.get(field);
        if (label == null) {
            label = switch (field) {
                case "name" -> "The name ";
                case "everyMinutes" -> "How often: ";
                case "accountsSource" -> "The accounts source: ";
                default -> field.isEmpty() ? "" : field + ": ";
            };
        }
        return label + error.reason();
    }
}
