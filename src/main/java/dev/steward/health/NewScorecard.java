package dev.steward.health;

import java.time.LocalDate;

/**
 * What a new scorecard is made from: its name, the accounts it applies to ({@code appliesTo}, CEL), its priority (the
 * next free one when {@code null}) and a template: {@code data} (generated from the data of the accounts it will score
 * as of {@code asOf}, today when {@code null}), {@code blank} (a skeleton with one example measure) or {@code copy}
 * (the newest version of the scorecard {@code copyOf}).
 */
public record NewScorecard(
        String name, String appliesTo, Integer priority, String template, String copyOf, LocalDate asOf) {

    /** The templates a scorecard can start from, as {@code template} names them. */
    public static final String DATA = "data";

    public static final String BLANK = "blank";
    public static final String COPY = "copy";
}
