package dev.steward.lifecycle;

import dev.steward.core.DocumentText;
import dev.steward.core.InvalidInputException;
import dev.steward.core.Pilot;
import dev.steward.core.VersionedDocuments;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The pilot group (see {@link Pilot}): CSMs flagged for the pilot and accounts picked by hand. Flagging a person
 * publishes a new version of the segment {@value Pilot#SEGMENT} — the accounts they own, or in
 * {@value Pilot#PICKED} — so the group's membership keeps its history like any segment's, and every account follows
 * its owner in or out within seconds.
 */
@Service
public class PilotGroup {

    /** The share of accounts the seeds suggest for a pilot. */
    static final double SUGGESTED_LOW = 0.10;

    static final double SUGGESTED_HIGH = 0.20;

    /**
     * The group now: the people flagged, whether it is set up, its members and their ARR against all accounts.
     *
     * @param people the emails of the people flagged, in order
     * @param setUp whether the segments exist (scorecards and playbooks may say {@code pilot: true} once they do)
     */
    public record Summary(
            List<String> people, boolean setUp, long accounts, BigDecimal arr, long allAccounts, BigDecimal allArr) {

        /** The group's share of accounts, or {@code null} when there are no accounts. */
        public Double share() {
            return allAccounts == 0 ? null : (double) accounts / allAccounts;
        }

        /** Whether the share is within the seeds' 10–20 %. */
        public boolean withinSuggestion() {
            Double share = share();
            return share != null && share >= SUGGESTED_LOW && share <= SUGGESTED_HIGH;
        }
    }

    private final JdbcClient jdbc;
    private final SegmentManagement segments;
    private final VersionedDocuments<SegmentProblem> documents;
    private final UserDirectory users;
    private final AccountManagement accounts;
    private final Clock clock;

    PilotGroup(
            JdbcClient jdbc,
            SegmentManagement segments,
            VersionedDocuments<SegmentProblem> documents,
            UserDirectory users,
            AccountManagement accounts,
            Clock clock) {
        this.accounts = accounts;
        this.jdbc = jdbc;
        this.segments = segments;
        this.documents = documents;
        this.users = users;
        this.clock = clock;
    }

    public List<String> people() {
        return jdbc.sql("select email from lifecycle_pilot_person order by email")
                .query(String.class)
                .list();
    }

    public Summary summary() {
        boolean setUp = segments.publishedNames().contains(Pilot.SEGMENT);
        Set<UUID> members = setUp ? segments.memberIds(Pilot.SEGMENT).orElse(Set.of()) : Set.of();
        return new Summary(
                people(),
                setUp,
                members.size(),
                members.isEmpty()
                        ? BigDecimal.ZERO
                        : accounts.totalArr(members.stream().map(AccountId::new).toList()),
                accounts.count(),
                accounts.totalArr());
    }

    /**
     * Flags a person for the pilot, or takes them out, and publishes the group's segment again. Only people who can
     * own accounts (CSMs and managers) may be flagged.
     */
    @Transactional
    public Summary flag(String email, boolean inPilot, User author) {
        String address = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        User person = users.findByEmail(address)
                .orElseThrow(
                        () -> new InvalidInputException("email", "'" + email + "' is not a person of this Steward"));
        if (person.role() != Role.CSM && person.role() != Role.MANAGER) {
            throw new InvalidInputException(
                    "email",
                    person.email() + " is " + person.role() + "; only CSMs and managers own accounts and can be flagged"
                            + " for the pilot (pick accounts by hand in '" + Pilot.PICKED + "' instead)");
        }
        if (inPilot) {
            jdbc.sql("""
                            insert into lifecycle_pilot_person (email, flagged_at, flagged_by) values (?, ?, ?)
                            on conflict (email) do nothing""")
                    .params(person.email(), Timestamp.from(clock.instant()), author.id())
                    .update();
        } else {
            jdbc.sql("delete from lifecycle_pilot_person where email = ?")
                    .param(person.email())
                    .update();
        }
        setUp(author);
        return summary();
    }

    /**
     * Publishes the segments of the pilot as the flags now say: {@value Pilot#PICKED} (static, empty at first) and
     * {@value Pilot#SEGMENT}. Nothing is published when they already say it.
     */
    @Transactional
    public void setUp(User author) {
        if (!segments.publishedNames().contains(Pilot.PICKED)) {
            publish(Pilot.PICKED, """
                    name: %s
                    description: Accounts picked for the pilot by hand (add them here, by API or from a CSV file)
                    type: static
                    """.formatted(Pilot.PICKED), author);
        }
        List<String> people = people();
        String picked = "\"" + Pilot.PICKED + "\" in segments";
        String condition = people.isEmpty()
                ? picked
                : picked + " || account.owner in ["
                        + people.stream().map(p -> "\"" + p + "\"").collect(Collectors.joining(", ")) + "]";
        String yaml = """
                name: %s
                description: The pilot group, kept by Settings → Pilot (accounts picked by hand and those of the CSMs flagged)
                condition: '%s'
                """.formatted(Pilot.SEGMENT, condition);
        if (!yaml.equals(documents.publishedTexts().get(Pilot.SEGMENT))) {
            publish(Pilot.SEGMENT, yaml, author);
        }
    }

    private void publish(String name, String yaml, User author) {
        DocumentText<SegmentProblem> draft = segments.saveDraft(name, yaml, author);
        segments.publish(name, draft.version().version(), author);
    }
}
