package dev.steward.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.cel.common.types.SimpleType;
import dev.steward.core.Conditions;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/** Reading and checking playbook documents: every problem at its line and field, and the shipped playbooks valid. */
class PlaybookDocumentsTests {

    static final Conditions DECLARATIONS = Conditions.declare()
            .record(
                    "account",
                    Map.of(
                            "tier", SimpleType.STRING,
                            "arr", SimpleType.DOUBLE,
                            "daysToRenewal", SimpleType.INT,
                            "daysSinceStart", SimpleType.INT))
            .record(
                    "health",
                    Map.of("color", SimpleType.STRING, "score", SimpleType.DOUBLE, "trend", SimpleType.DOUBLE))
            .record(
                    "onboarding",
                    Map.of("done", SimpleType.BOOL, "overdue", SimpleType.INT, "completed", SimpleType.INT))
            .build();

    final PlaybookDocuments documents =
            new PlaybookDocuments(DECLARATIONS, Set.of("onboarding", "adoption"), Set.of("Enterprise"));

    @Test
    void aCompletePlaybookReadsWithDefaults() {
        PlaybookDocuments.Check check = documents.read("""
                name: Red
                trigger:
                  type: health_color
                  color: Red
                when: account.arr >= 10000.0
                cta:
                  type: risk
                  title: "{account} turned Red"
                tasks:
                  - title: Call them
                    dueDays: 2
                    assignee: manager
                """, "Red");
        assertThat(check.problems()).isEmpty();
        PlaybookDocument document = check.document();
        assertThat(document.trigger().type()).isEqualTo(PlaybookDocument.TriggerType.HEALTH_COLOR);
        assertThat(document.trigger().color()).isEqualTo("red");
        assertThat(document.cta().priority()).isEqualTo("auto");
        assertThat(document.cta().slaDays()).isEqualTo(5);
        assertThat(document.cta().owner()).isEqualTo("csm");
        assertThat(document.cooldownDays()).isEqualTo(30);
        assertThat(document.controlPercent()).isZero();
        assertThat(document.tasks())
                .extracting("title", "dueDays", "assignee")
                .containsExactly(tuple("Call them", 2, "manager"));
    }

    @Test
    void everyProblemIsAnsweredAtItsLineAndField() {
        PlaybookDocuments.Check check = documents.read("""
                name: Other
                trigger:
                  type: renewl
                when: account.arr >= "a lot"
                cta:
                  type: chore
                  title: x
                  slaDays: 0
                  raiseAboveArr: 5
                  priority: high
                tasks:
                  - title: t
                    dueDays: soon
                    assignee: intern
                cooldownDays: -1
                controlPercent: 80
                colour: red
                """, "Mine");
        assertThat(check.document()).isNull();
        assertThat(check.problems())
                .extracting(PlaybookProblem::line, PlaybookProblem::field)
                .contains(
                        tuple(1, "name"),
                        tuple(3, "trigger.type"),
                        tuple(4, "when"),
                        tuple(6, "cta.type"),
                        tuple(8, "cta.slaDays"),
                        tuple(9, "cta.raiseAboveArr"),
                        tuple(13, "tasks[0].dueDays"),
                        tuple(14, "tasks[0].assignee"),
                        tuple(15, "cooldownDays"),
                        tuple(16, "controlPercent"),
                        tuple(17, "colour"));
        assertThat(check.problems())
                .filteredOn(p -> p.field().equals("trigger.type"))
                .first()
                .extracting(PlaybookProblem::reason)
                .asString()
                .contains("did you mean 'renewal'");
    }

    @Test
    void aTriggerNeedsItsOwnSettingsAndNoOthers() {
        PlaybookDocuments.Check check = documents.read("""
                name: Stage
                trigger:
                  type: days_in_stage
                  stage: onbording
                  color: red
                cta:
                  type: onboarding
                  title: Stuck
                """, null);
        assertThat(check.problems())
                .extracting(PlaybookProblem::field, PlaybookProblem::line)
                .containsExactlyInAnyOrder(
                        tuple("trigger.days", 3), tuple("trigger.stage", 4), tuple("trigger.color", 5));
        assertThat(check.problems())
                .extracting(PlaybookProblem::reason)
                .anySatisfy(reason -> assertThat(reason).contains("did you mean 'onboarding'"))
                .anySatisfy(reason -> assertThat(reason).contains("days"));
    }

    @Test
    void aSegmentOrConditionTriggerIsCheckedAgainstWhatThereIs() {
        PlaybookDocuments.Check check = documents.read("""
                name: Seg
                trigger:
                  type: segment_entered
                  segment: Enterprize
                cta: {type: lifecycle, title: Welcome}
                """, null);
        assertThat(check.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("trigger.segment");
            assertThat(p.reason()).contains("did you mean 'Enterprise'");
        });
        PlaybookDocuments.Check condition = documents.read("""
                name: Cond
                trigger:
                  type: condition
                  condition: health.scor < 40.0
                cta: {type: risk, title: Low}
                """, null);
        assertThat(condition.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("trigger.condition");
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.reason()).contains("score");
        });
    }

    @Test
    void theActivityTriggersReadTheirSettings() {
        assertThat(trigger("{type: nps, score: Detractor}"))
                .extracting(PlaybookDocument.Trigger::type, PlaybookDocument.Trigger::score)
                .containsExactly(PlaybookDocument.TriggerType.NPS, "detractor");
        assertThat(trigger("{type: ticket_escalated}").type()).isEqualTo(PlaybookDocument.TriggerType.TICKET_ESCALATED);
        assertThat(trigger("{type: tickets, count: 5, days: 30}"))
                .extracting(PlaybookDocument.Trigger::count, PlaybookDocument.Trigger::days)
                .containsExactly(5, 30);
        assertThat(trigger("{type: contact_left, role: executive_sponsor}").role())
                .isEqualTo("executive_sponsor");
        assertThat(trigger("{type: invoice_overdue, days: 15}").days()).isEqualTo(15);
        assertThat(trigger("{type: no_meeting, days: 60}").days()).isEqualTo(60);

        assertThat(PlaybookDocument.TriggerType.INVOICE_OVERDUE.isTimeBased()).isTrue();
        assertThat(PlaybookDocument.TriggerType.NO_MEETING.isTimeBased()).isTrue();
        assertThat(java.util.Arrays.stream(PlaybookDocument.TriggerType.values())
                        .filter(PlaybookDocument.TriggerType::followsActivity))
                .containsExactlyInAnyOrder(
                        PlaybookDocument.TriggerType.NPS,
                        PlaybookDocument.TriggerType.TICKET_ESCALATED,
                        PlaybookDocument.TriggerType.TICKETS,
                        PlaybookDocument.TriggerType.CONTACT_LEFT)
                .noneMatch(PlaybookDocument.TriggerType::isTimeBased);

        assertThat(PlaybookManagement.describe(trigger("{type: nps, score: promoter}")))
                .isEqualTo("NPS response from a promoter (9–10)");
        assertThat(PlaybookManagement.describe(trigger("{type: tickets, count: 5, days: 30}")))
                .isEqualTo("5 or more tickets in 30 days");
        assertThat(PlaybookManagement.describe(trigger("{type: contact_left, role: champion}")))
                .isEqualTo("The champion leaves");
        assertThat(PlaybookManagement.describe(trigger("{type: no_meeting, days: 60}")))
                .isEqualTo("No meeting in 60 days");
    }

    @Test
    void activityTriggerSettingsAreCheckedAtTheirLineWithWhatTheyMayBe() {
        assertThat(triggerProblems("""
                  type: nps
                  score: detracter
                """)).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("trigger.score");
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.reason()).contains("did you mean 'detractor'").contains("[detractor, passive, promoter]");
        });
        assertThat(triggerProblems("""
                  type: nps
                """)).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("trigger.score");
            assertThat(p.reason()).isEqualTo("is required by a nps trigger: one of [detractor, passive, promoter]");
        });
        assertThat(triggerProblems("""
                  type: tickets
                  days: 400
                """))
                .extracting(PlaybookProblem::field, PlaybookProblem::line, PlaybookProblem::reason)
                .containsExactlyInAnyOrder(
                        tuple("trigger.count", 3, "is required by a tickets trigger: how many tickets, 1 to 1000"),
                        tuple("trigger.days", 4, "is '400': whole days, 1 to 365"));
        assertThat(triggerProblems("""
                  type: tickets
                  count: 0
                  days: 7
                """)).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("trigger.count");
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.reason()).isEqualTo("is '0': how many tickets, 1 to 1000");
        });
        assertThat(triggerProblems("""
                  type: contact_left
                  role: admin
                """)).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("trigger.role");
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.reason()).isEqualTo("is 'admin'; use one of [champion, executive_sponsor]");
        });
        assertThat(triggerProblems("""
                  type: ticket_escalated
                  days: 3
                """)).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("trigger.days");
            assertThat(p.reason()).isEqualTo("is not read by a ticket_escalated trigger, which has no settings");
        });
        assertThat(triggerProblems("""
                  type: invoice_overdue
                  days: 200
                  role: champion
                """))
                .extracting(PlaybookProblem::field, PlaybookProblem::line)
                .containsExactlyInAnyOrder(tuple("trigger.days", 4), tuple("trigger.role", 5));
        assertThat(triggerProblems("""
                  type: no_meeting
                """))
                .extracting(PlaybookProblem::reason)
                .containsExactly("is required by a no_meeting trigger: whole days");
    }

    @Test
    void npsScoresFallInTheirBands() {
        assertThat(java.util.stream.IntStream.rangeClosed(0, 10).mapToObj(ActivityTriggers::npsBand))
                .containsExactly(
                        "detractor",
                        "detractor",
                        "detractor",
                        "detractor",
                        "detractor",
                        "detractor",
                        "detractor",
                        "passive",
                        "passive",
                        "promoter",
                        "promoter");
    }

    @Test
    void aScoreDropNeedsPointsAndDays() {
        PlaybookDocuments.Check check = documents.read("""
                name: Drop
                trigger: {type: score_drop, points: 15, days: 30}
                cta: {type: risk, title: Falling}
                """, null);
        assertThat(check.problems()).isEmpty();
        assertThat(check.document().trigger().points()).isEqualTo(15);
        assertThat(check.document().trigger().days()).isEqualTo(30);
        assertThat(documents.read("""
                        name: Drop
                        trigger: {type: score_drop, points: 150}
                        cta: {type: risk, title: Falling}
                        """, null).problems())
                .extracting(PlaybookProblem::field)
                .containsExactlyInAnyOrder("trigger.points", "trigger.days");
    }

    @Test
    void notYamlOrEmptyIsAProblemNotAFailure() {
        assertThat(documents.read("name: [unclosed", null).problems())
                .singleElement()
                .extracting(PlaybookProblem::reason)
                .asString()
                .startsWith("not valid YAML");
        assertThat(documents.read("", null).problems())
                .singleElement()
                .extracting(PlaybookProblem::reason)
                .isEqualTo("the document is empty");
    }

    @Test
    void theShippedPlaybooksAreValid() throws IOException {
        Resource[] shipped = new PathMatchingResourcePatternResolver().getResources("classpath:playbooks/*.yaml");
        assertThat(shipped).hasSizeGreaterThanOrEqualTo(6);
        for (Resource resource : shipped) {
            PlaybookDocuments.Check check = documents.read(resource.getContentAsString(StandardCharsets.UTF_8), null);
            assertThat(check.problems()).as(resource.getFilename()).isEmpty();
        }
    }

    private PlaybookDocument.Trigger trigger(String flow) {
        PlaybookDocuments.Check check = documents.read("""
                name: T
                trigger: %s
                cta: {type: risk, title: T}
                """.formatted(flow), null);
        assertThat(check.problems()).isEmpty();
        return check.document().trigger();
    }

    /** The problems of a trigger whose settings start on line 3 (a missing one is placed there). */
    private List<PlaybookProblem> triggerProblems(String settings) {
        return documents
                .read("name: T\ntrigger:\n" + settings + "cta: {type: risk, title: T}\n", null)
                .problems();
    }

    @Test
    void automaticPriorityIsTheTypesSeverityRaisedForALargeArr() {
        PlaybookDocument.Template auto =
                new PlaybookDocument.Template(CtaType.RISK, "t", "auto", BigDecimal.valueOf(50_000), 2, "csm");
        assertThat(CtaType.RISK.severity()).isEqualTo(Priority.HIGH);
        assertThat(Priority.HIGH.raised()).isEqualTo(Priority.URGENT);
        assertThat(Priority.URGENT.raised()).isEqualTo(Priority.URGENT);
        assertThat(auto.isAutomaticPriority()).isTrue();
    }
}
