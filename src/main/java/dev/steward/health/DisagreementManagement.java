package dev.steward.health;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.steward.core.BadRequestException;
import dev.steward.core.FieldError;
import dev.steward.core.Ids;
import dev.steward.core.InputText;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.health.engine.Color;
import dev.steward.identity.User;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * "I disagree with this score": a CSM says which color an account's health should have had on a scored day, and why;
 * an administrator reviews it. Each disagreement keeps the model's color, score and scorecard version of that day as
 * stored, so that what became of the account can later tell who was right. One open disagreement per account and
 * person, so that reviews judge one claim at a time.
 */
@Service
public class DisagreementManagement {

    private final ScoreDisagreements disagreements;
    private final HealthScores scores;
    private final AccountManagement accounts;
    private final Clock clock;

    DisagreementManagement(
            ScoreDisagreements disagreements, HealthScores scores, AccountManagement accounts, Clock clock) {
        this.disagreements = disagreements;
        this.scores = scores;
        this.accounts = accounts;
        this.clock = clock;
    }

    /**
     * What a CSM says: the color the score should have, why, and optionally the scored day they mean (the latest stored
     * score when not given).
     */
    public record Disagreement(String color, String reason, LocalDate day) {}

    /** A disagreement as the review queue lists it: with the account's name and how many days it has waited. */
    public record Listed(@JsonUnwrapped ScoreDisagreement disagreement, String accountName, long ageDays) {}

    /** Refused because the person already has an open disagreement with this account's score. */
    public static final class AlreadyOpen extends RuntimeException {

        private final transient ScoreDisagreement open;

        AlreadyOpen(ScoreDisagreement open) {
            super("You already have an open disagreement with this account's score (" + open.id() + ", about "
                    + open.day() + ": " + open.suggestedColor().value() + " instead of "
                    + open.modelColor().value() + "); wait for its review before adding another");
            this.open = open;
        }

        public ScoreDisagreement open() {
            return open;
        }
    }

    /**
     * Records that {@code by} disagrees with the account's score: refused (422) for an unknown color, the color the
     * model already gave, a missing or too long reason, a day after today, or a day without a stored score (or with a
     * Black one, which has no color to disagree with); 409 ({@link AlreadyOpen}) while their earlier one is open.
     */
    public ScoreDisagreement disagree(UUID account, Disagreement input, User by) {
        accounts.get(new AccountId(account));
        List<FieldError> errors = new ArrayList<>();
        String reason = input.reason() == null ? "" : input.reason().strip();
        if (reason.codePointCount(0, reason.length()) > ScoreDisagreement.MAX_TEXT) {
            errors.add(FieldError.of(
                    "reason",
                    "at most " + ScoreDisagreement.MAX_TEXT + " characters, got "
                            + reason.codePointCount(0, reason.length())));
        } else if (reason.isEmpty()) {
            errors.add(FieldError.of("reason", "say why the score is wrong"));
        } else if (InputText.problem(reason) != null) {
            errors.add(FieldError.of("reason", InputText.problem(reason)));
        }
        Color suggested = null;
        if (input.color() == null || input.color().isBlank()) {
            errors.add(FieldError.of("color", "choose the color it should be: green, yellow or red"));
        } else {
            try {
                suggested = Color.of(input.color());
                if (suggested == Color.BLACK) {
                    errors.add(FieldError.of(
                            "color", "black means too little data, not a judgement; choose green," + " yellow or red"));
                    suggested = null;
                }
            } catch (IllegalArgumentException unknown) {
                errors.add(FieldError.of("color", "unknown color '" + input.color() + "'; use green, yellow or red"));
            }
        }
        LocalDate today = LocalDate.now(clock);
        AccountScore score = null;
        if (input.day() != null && input.day().isAfter(today)) {
            errors.add(FieldError.of("day", "must not be after today (" + today + ")"));
        } else {
            Optional<AccountScore> stored =
                    input.day() == null ? scores.latest(account, today) : scores.on(account, input.day());
            if (stored.isEmpty()) {
                errors.add(FieldError.of(
                        "day",
                        "the account has no stored score "
                                + (input.day() == null ? "yet" : "on " + input.day())
                                + ": there is nothing to disagree with"));
            } else if (stored.get().color() == Color.BLACK) {
                errors.add(FieldError.of(
                        "day",
                        "the score on " + stored.get().day() + " is black (too little data to judge): there is no"
                                + " color to disagree with; add the missing data instead"));
            } else {
                score = stored.get();
                if (suggested == score.color()) {
                    errors.add(FieldError.of(
                            "color",
                            "the model already says " + suggested.value() + " on " + score.day()
                                    + "; choose the color it should be instead"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        disagreements.open(account, by.email()).ifPresent(open -> {
            throw new AlreadyOpen(open);
        });
        ScoreDisagreement disagreement = new ScoreDisagreement(
                Ids.newId(),
                account,
                score.day(),
                score.color(),
                score.score(),
                score.scorecard(),
                score.scorecardVersion(),
                suggested,
                reason,
                by.id(),
                by.email(),
                by.displayName(),
                clock.instant(),
                null,
                null,
                null,
                null);
        try {
            disagreements.add(disagreement);
        } catch (DuplicateKeyException race) {
            // Sent twice at once: the other one is the open one.
            throw new AlreadyOpen(disagreements.open(account, by.email()).orElseThrow(() -> race));
        }
        return disagreement;
    }

    /** The account's disagreements, newest first; 404 for an unknown account. */
    public List<ScoreDisagreement> ofAccount(UUID account) {
        accounts.get(new AccountId(account));
        return disagreements.ofAccount(account);
    }

    /** Every disagreement, reviewed or not, for counting who was right. */
    public List<ScoreDisagreement> all() {
        return disagreements.list(ScoreDisagreements.Filter.ALL);
    }

    /** The review queue: {@code open} (oldest first), {@code reviewed} (newest review first) or {@code all}. */
    public List<Listed> queue(String status) {
        ScoreDisagreements.Filter filter;
        try {
            filter = ScoreDisagreements.Filter.valueOf(
                    (status == null ? "open" : status.strip()).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw new BadRequestException("status", "unknown status '" + status + "'; use open, reviewed or all");
        }
        List<ScoreDisagreement> listed = disagreements.list(filter);
        Map<UUID, String> names = new HashMap<>();
        accounts.findAll(listed.stream()
                        .map(d -> new AccountId(d.account()))
                        .distinct()
                        .toList())
                .forEach(a -> names.put(a.id().value(), a.name()));
        Instant now = clock.instant();
        return listed.stream()
                .map(d -> new Listed(
                        d,
                        names.getOrDefault(d.account(), "(deleted account)"),
                        Math.max(0, Duration.between(d.createdAt(), now).toDays())))
                .toList();
    }

    /**
     * Records an administrator's review: {@code accepted} or {@code dismissed} (which needs a note saying why the
     * score stands). It changes no score. 404 for an unknown disagreement, 409 when it was reviewed already.
     */
    public ScoreDisagreement review(UUID id, String decision, String note, User by) {
        ScoreDisagreement disagreement =
                disagreements.find(id).orElseThrow(() -> new NotFoundException("No score disagreement " + id + "."));
        List<FieldError> errors = new ArrayList<>();
        String text = note == null ? "" : note.strip();
        ScoreDisagreement.Decision chosen = null;
        if (text.codePointCount(0, text.length()) > ScoreDisagreement.MAX_TEXT) {
            errors.add(FieldError.of(
                    "note",
                    "at most " + ScoreDisagreement.MAX_TEXT + " characters, got "
                            + text.codePointCount(0, text.length())));
        } else if (InputText.problem(text) != null) {
            errors.add(FieldError.of("note", InputText.problem(text)));
        }
        if (decision == null || decision.isBlank()) {
            errors.add(FieldError.of("decision", "choose accepted or dismissed"));
        } else {
            try {
                chosen = ScoreDisagreement.Decision.valueOf(decision.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                errors.add(FieldError.of("decision", "unknown decision '" + decision + "'; use accepted or dismissed"));
            }
        }
        if (chosen == ScoreDisagreement.Decision.DISMISSED && text.isEmpty()) {
            errors.add(FieldError.of("note", "say why the score stands when dismissing"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        if (!disagreement.open()) {
            throw alreadyReviewed(disagreement);
        }
        ScoreDisagreement.Decision decided = chosen;
        return disagreements
                .review(id, decided, text.isEmpty() ? null : text, by.displayName(), clock.instant())
                .orElseThrow(() -> alreadyReviewed(disagreements.find(id).orElseThrow()));
    }

    private static dev.steward.core.ConflictException alreadyReviewed(ScoreDisagreement d) {
        return dev.steward.core.ConflictException.of("Score disagreement " + d.id() + " was already reviewed: "
                + d.decision().value() + " by " + d.reviewedBy() + " at " + d.reviewedAt());
    }
}
