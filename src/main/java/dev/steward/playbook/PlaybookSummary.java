package dev.steward.playbook;

/**
 * A playbook in the list: its name, description and trigger (from the published version, or the newest draft before
 * that), published and newest version numbers, whether it is on (published and not retired), and its open CTAs.
 */
public record PlaybookSummary(
        String name,
        String description,
        String trigger,
        String ctaType,
        Integer publishedVersion,
        int newestVersion,
        boolean on,
        long openCtas) {}
