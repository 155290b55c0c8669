package dev.steward.survey;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A survey as a person writes it: a name; the email's subject and the question (each optional, with a default); the
 * audience, a published segment's name ({@code null} or empty: every account); the contact roles to ask
 * ({@code champion}, {@code executive_sponsor}, {@code admin}, {@code end_user}, {@code other}; empty: all of them).
 */
public record SurveyInput(
        @Nullable String name,
        @Nullable String subject,
        @Nullable String question,
        @Nullable String segment,
        @Nullable List<String> roles) {}
