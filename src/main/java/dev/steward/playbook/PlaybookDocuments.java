package dev.steward.playbook;

import dev.steward.core.Conditions;
import dev.steward.core.InvalidInputException;
import dev.steward.core.Pilot;
import dev.steward.core.YamlText;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads and checks playbook documents (YAML): every problem at once, each at its line and column, including those
 * inside CEL conditions, stages and segments that do not exist, and settings a trigger does not read.
 */
final class PlaybookDocuments {

    static final int MAXIMUM_LENGTH = 64 * 1024;
    static final int MAXIMUM_TASKS = 20;
    static final int MAXIMUM_SLA_DAYS = 60;
    static final int MAXIMUM_COOLDOWN_DAYS = 730;

    private static final List<String> KEYS = List.of(
            "name", "description", "trigger", "when", "pilot", "cta", "tasks", "cooldownDays", "controlPercent");
    private static final List<String> CTA_KEYS =
            List.of("type", "title", "priority", "raiseAboveArr", "slaDays", "owner");
    private static final List<String> TASK_KEYS = List.of("title", "dueDays", "assignee");
    private static final List<String> COLORS = List.of("red", "yellow", "green");
    private static final List<String> PRIORITIES = List.of("auto", "low", "medium", "high", "urgent");
    private static final List<String> OWNERS = List.of("csm", "manager");
    private static final List<String> ASSIGNEES = List.of("csm", "manager", "executive_sponsor");
    private static final List<String> PERIODS = List.of("month", "quarter");

    private static final List<String> NPS_BANDS = List.of("detractor", "passive", "promoter");
    private static final List<String> LEAVING_ROLES = List.of("champion", "executive_sponsor");
    static final int MAXIMUM_TICKETS = 1000;

    /** The settings each trigger type reads besides {@code type}. */
    private static final Map<PlaybookDocument.TriggerType, List<String>> TRIGGER_KEYS = Map.ofEntries(
            Map.entry(PlaybookDocument.TriggerType.HEALTH_COLOR, List.of("color")),
            Map.entry(PlaybookDocument.TriggerType.RENEWAL, List.of("days")),
            Map.entry(PlaybookDocument.TriggerType.STAGE_ENTERED, List.of("stage")),
            Map.entry(PlaybookDocument.TriggerType.DAYS_IN_STAGE, List.of("stage", "days")),
            Map.entry(PlaybookDocument.TriggerType.SEGMENT_ENTERED, List.of("segment")),
            Map.entry(PlaybookDocument.TriggerType.SEGMENT_LEFT, List.of("segment")),
            Map.entry(PlaybookDocument.TriggerType.CONDITION, List.of("condition")),
            Map.entry(PlaybookDocument.TriggerType.SCHEDULE, List.of("every")),
            Map.entry(PlaybookDocument.TriggerType.NPS, List.of("score")),
            Map.entry(PlaybookDocument.TriggerType.SCORE_DROP, List.of("points", "days")),
            Map.entry(PlaybookDocument.TriggerType.TICKET_ESCALATED, List.of()),
            Map.entry(PlaybookDocument.TriggerType.TICKETS, List.of("count", "days")),
            Map.entry(PlaybookDocument.TriggerType.CONTACT_LEFT, List.of("role")),
            Map.entry(PlaybookDocument.TriggerType.INVOICE_OVERDUE, List.of("days")),
            Map.entry(PlaybookDocument.TriggerType.NO_MEETING, List.of("days")));

    /**
     * The most days a trigger may read back (3650 for the others): tickets are counted and unpaid invoices found in
     * what the activity module reads for a window ({@code ActivityWindow.OPEN_FOR_AT_MOST}).
     */
    private static final Map<PlaybookDocument.TriggerType, Integer> MAXIMUM_DAYS = Map.of(
            PlaybookDocument.TriggerType.RENEWAL, 730,
            PlaybookDocument.TriggerType.TICKETS, 365,
            PlaybookDocument.TriggerType.INVOICE_OVERDUE, 180,
            PlaybookDocument.TriggerType.SCORE_DROP, 365);

    /** What a missing setting should be, said with the problem. */
    private static final Map<String, String> REQUIRED_AS = Map.of(
            "score", ": one of " + NPS_BANDS,
            "role", ": one of " + LEAVING_ROLES,
            "count", ": how many tickets, 1 to " + MAXIMUM_TICKETS,
            "days", ": whole days",
            "points", ": score points, 1 to 100");

    private static final Comparator<PlaybookProblem> BY_PLACE = Comparator.comparing(
                    PlaybookProblem::line, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(PlaybookProblem::column, Comparator.nullsLast(Comparator.naturalOrder()));

    private final Conditions conditions;
    private final Set<String> stages;
    private final Set<String> segments;

    /**
     * Documents whose conditions are checked against these declarations and whose stages and segments must be among
     * those of the journey and the segments in force.
     */
    PlaybookDocuments(Conditions conditions, Set<String> stages, Set<String> segments) {
        this.conditions = conditions;
        this.stages = Set.copyOf(stages);
        this.segments = Set.copyOf(segments);
    }

    /** A playbook as read: the document ({@code null} unless it is valid) and every problem, by place. */
    record Check(PlaybookDocument document, List<PlaybookProblem> problems) {

        boolean isValid() {
            return document != null && problems.isEmpty();
        }
    }

    /** Reads a document kept under a playbook's name ({@code null}: any): its own name must be that name. */
    Check read(String yaml, String expectedName) {
        if (yaml.length() > MAXIMUM_LENGTH) {
            throw new InvalidInputException(
                    "document",
                    "has " + yaml.length() / 1024 + " KB; a playbook may have at most " + MAXIMUM_LENGTH / 1024
                            + " KB");
        }
        List<PlaybookProblem> problems = new ArrayList<>();
        Node root = compose(yaml, problems);
        if (!problems.isEmpty()) {
            return new Check(null, problems);
        }
        if (root == null) {
            return new Check(null, List.of(new PlaybookProblem(1, 1, "", "the document is empty")));
        }
        if (!(root instanceof MappingNode mapping)) {
            return new Check(
                    null, List.of(at(root.getStartMark(), "", "must be a mapping with name, trigger, cta and tasks")));
        }
        Fields top = new Fields(mapping, KEYS, "", "A playbook has", problems);
        String name = top.text("name");
        if (name == null || name.isBlank() || name.length() > 100) {
            top.problem("name", "is required, not blank, at most 100 characters");
        } else if (expectedName != null && !expectedName.equals(name)) {
            top.problem(
                    "name",
                    "is '" + name + "' but this is playbook '" + expectedName
                            + "'; save a new playbook under its own name");
        }
        String description = top.text("description");
        PlaybookDocument.Trigger trigger = trigger(yaml, top, problems);
        String when = top.text("when");
        if (when != null) {
            if (when.isBlank()) {
                top.problem("when", "must not be blank; leave it out to apply to every account");
            } else {
                condition(yaml, (ScalarNode) top.node("when"), when, "when", problems);
            }
        }
        String pilotText = top.text("pilot");
        boolean pilot = "true".equals(pilotText);
        if (pilotText != null && !pilot && !"false".equals(pilotText)) {
            top.problem("pilot", "must be true (run for the pilot group only) or false");
        } else if (pilot && !segments.contains(Pilot.SEGMENT)) {
            top.problem(
                    "pilot",
                    "names the pilot group, which is not set up here yet: flag the pilot's CSMs or pick its accounts"
                            + " on Settings → Pilot first");
        }
        if (pilot) {
            // Checked as written above, so that line and column point into the document; fires for the pilot only.
            when = Pilot.only(when == null ? "true" : when);
        }
        PlaybookDocument.Template cta = template(top, problems);
        List<PlaybookDocument.Task> tasks = tasks(top, problems);
        int cooldown = top.integer("cooldownDays", 0, MAXIMUM_COOLDOWN_DAYS, 30, "whole days");
        int control = top.integer("controlPercent", 0, 50, 0, "a whole percentage");
        problems.sort(BY_PLACE);
        PlaybookDocument document = problems.isEmpty()
                ? new PlaybookDocument(
                        name, description == null ? "" : description, trigger, when, cta, tasks, cooldown, control)
                : null;
        return new Check(document, problems);
    }

    private PlaybookDocument.Trigger trigger(String yaml, Fields top, List<PlaybookProblem> problems) {
        Node node = top.node("trigger");
        if (node == null) {
            top.problem(
                    "trigger",
                    "is required: what fires the playbook, such as {type: health_color, color: red} or"
                            + " {type: renewal, days: 120}");
            return null;
        }
        if (!(node instanceof MappingNode mapping)) {
            problems.add(at(node.getStartMark(), "trigger", "must be a mapping with a type and its settings"));
            return null;
        }
        List<String> all = List.of(
                "type", "color", "days", "count", "stage", "segment", "condition", "every", "score", "role", "points");
        Fields fields = new Fields(mapping, all, "trigger.", "A trigger has", problems);
        String typeText = fields.text("type");
        List<String> types = java.util.Arrays.stream(PlaybookDocument.TriggerType.values())
                .map(PlaybookDocument.TriggerType::value)
                .toList();
        PlaybookDocument.TriggerType type = null;
        if (typeText == null || !types.contains(typeText.strip().toLowerCase(Locale.ROOT))) {
            String nearest = typeText == null ? null : Conditions.nearest(typeText, types);
            fields.problem(
                    "type",
                    (typeText == null ? "is required" : "is '" + typeText + "'")
                            + (nearest == null ? "" : "; did you mean '" + nearest + "'?") + " The types are "
                            + types);
            return null;
        }
        type = PlaybookDocument.TriggerType.valueOf(typeText.strip().toUpperCase(Locale.ROOT));
        List<String> reads = TRIGGER_KEYS.get(type);
        for (String key : fields.keys()) {
            if (!key.equals("type") && !reads.contains(key)) {
                fields.problem(
                        key,
                        "is not read by a " + type.value() + " trigger, which has "
                                + (reads.isEmpty() ? "no settings" : reads));
            }
        }
        for (String key : reads) {
            if (fields.node(key) == null) {
                fields.problem(
                        key, "is required by a " + type.value() + " trigger" + REQUIRED_AS.getOrDefault(key, ""));
            }
        }
        String color = fields.text("color");
        if (color != null && !COLORS.contains(color.strip().toLowerCase(Locale.ROOT))) {
            fields.problem("color", "is '" + color + "'; use one of " + COLORS);
        }
        Integer days = null;
        if (fields.node("days") != null) {
            days = fields.integer("days", 1, MAXIMUM_DAYS.getOrDefault(type, 3650), 0, "whole days");
        }
        Integer count = null;
        if (fields.node("count") != null) {
            count = fields.integer("count", 1, MAXIMUM_TICKETS, 0, "how many tickets");
        }
        Integer points = null;
        if (fields.node("points") != null) {
            points = fields.integer("points", 1, 100, 0, "score points");
        }
        String score = fields.choice("score", NPS_BANDS, null, false);
        String role = fields.choice("role", LEAVING_ROLES, null, false);
        String stage = fields.text("stage");
        if (stage != null && !stages.contains(stage)) {
            String nearest = Conditions.nearest(stage, stages);
            fields.problem(
                    "stage",
                    "no stage of the journey in force has the key '" + stage + "'"
                            + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
                            + (stages.isEmpty()
                                    ? " No journey is published"
                                    : " The stages are " + new TreeSet<>(stages)));
        }
        String segment = fields.text("segment");
        if (segment != null && !segments.contains(segment)) {
            String nearest = Conditions.nearest(segment, segments);
            fields.problem(
                    "segment",
                    "no published segment is named '" + segment + "'"
                            + (nearest == null ? "" : "; did you mean '" + nearest + "'?"));
        }
        String condition = fields.text("condition");
        if (condition != null) {
            condition(yaml, (ScalarNode) fields.node("condition"), condition, "trigger.condition", problems);
        }
        String every = fields.text("every");
        if (every != null && !PERIODS.contains(every.strip())) {
            fields.problem("every", "is '" + every + "'; use one of " + PERIODS);
        }
        return new PlaybookDocument.Trigger(
                type,
                color == null ? null : color.strip().toLowerCase(Locale.ROOT),
                days,
                stage,
                segment,
                condition,
                every == null ? null : every.strip(),
                count,
                score,
                role,
                points);
    }

    private PlaybookDocument.Template template(Fields top, List<PlaybookProblem> problems) {
        Node node = top.node("cta");
        if (node == null) {
            top.problem("cta", "is required: the CTA it makes, with type, title, priority, slaDays and owner");
            return null;
        }
        if (!(node instanceof MappingNode mapping)) {
            problems.add(
                    at(node.getStartMark(), "cta", "must be a mapping with type, title, priority, slaDays, owner"));
            return null;
        }
        Fields fields = new Fields(mapping, CTA_KEYS, "cta.", "A CTA has", problems);
        List<String> types =
                java.util.Arrays.stream(CtaType.values()).map(CtaType::value).toList();
        String type = fields.choice("type", types, null, true);
        String title = fields.text("title");
        if (title == null || title.isBlank() || title.length() > 200) {
            fields.problem("title", "is required, at most 200 characters; {account} stands for the account's name");
        }
        String priority = fields.choice("priority", PRIORITIES, "auto", false);
        BigDecimal raise = null;
        String raiseText = fields.text("raiseAboveArr");
        if (raiseText != null) {
            try {
                raise = new BigDecimal(raiseText.strip());
            } catch (NumberFormatException e) {
                raise = BigDecimal.valueOf(-1);
            }
            if (raise.signum() < 0) {
                fields.problem("raiseAboveArr", "is '" + raiseText + "': an ARR from 0 up");
            } else if (!"auto".equals(priority)) {
                fields.problem("raiseAboveArr", "is read only with priority: auto");
            }
        }
        int sla = fields.integer("slaDays", 1, MAXIMUM_SLA_DAYS, 5, "business days");
        String owner = fields.choice("owner", OWNERS, "csm", false);
        return type == null
                ? null
                : new PlaybookDocument.Template(CtaType.of(type), title, priority, raise, sla, owner);
    }

    private List<PlaybookDocument.Task> tasks(Fields top, List<PlaybookProblem> problems) {
        Node node = top.node("tasks");
        List<PlaybookDocument.Task> tasks = new ArrayList<>();
        if (node == null) {
            return tasks;
        }
        if (!(node instanceof SequenceNode sequence)) {
            problems.add(
                    at(node.getStartMark(), "tasks", "must be a list of tasks, each with title, dueDays and assignee"));
            return tasks;
        }
        if (sequence.getValue().size() > MAXIMUM_TASKS) {
            problems.add(at(
                    node.getStartMark(),
                    "tasks",
                    "has " + sequence.getValue().size() + " tasks; at most " + MAXIMUM_TASKS));
            return tasks;
        }
        for (int i = 0; i < sequence.getValue().size(); i++) {
            Node item = sequence.getValue().get(i);
            String field = "tasks[" + i + "]";
            if (!(item instanceof MappingNode mapping)) {
                problems.add(at(item.getStartMark(), field, "must be a mapping with title, dueDays and assignee"));
                continue;
            }
            Fields fields = new Fields(mapping, TASK_KEYS, field + ".", "A task has", problems);
            String title = fields.text("title");
            if (title == null || title.isBlank() || title.length() > 200) {
                fields.problem("title", "is required, at most 200 characters");
            }
            int due = fields.integer("dueDays", 0, MAXIMUM_SLA_DAYS, 0, "business days after the CTA is made");
            String assignee = fields.choice("assignee", ASSIGNEES, "csm", false);
            tasks.add(new PlaybookDocument.Task(title, due, assignee));
        }
        return tasks;
    }

    private void condition(
            String yaml, ScalarNode node, String condition, String field, List<PlaybookProblem> problems) {
        for (Conditions.Problem problem : conditions.compile(condition).problems()) {
            problems.add(inYaml(yaml, node, condition, problem, field));
        }
    }

    /** A problem at a line and column of a condition, placed in the YAML where the condition's line is written. */
    private static PlaybookProblem inYaml(
            String yaml, ScalarNode node, String condition, Conditions.Problem problem, String field) {
        YamlText.Place place = YamlText.inYaml(yaml, node, condition, problem.line(), problem.column());
        return new PlaybookProblem(place.line(), place.column(), field, problem.reason());
    }

    private static Node compose(String yaml, List<PlaybookProblem> problems) {
        YamlText.Composed composed = YamlText.compose(yaml, MAXIMUM_LENGTH);
        if (composed.problem() != null) {
            problems.add(new PlaybookProblem(
                    composed.place().line(), composed.place().column(), "", composed.problem()));
        }
        return composed.root();
    }

    static PlaybookProblem at(Mark mark, String field, String reason) {
        return new PlaybookProblem(mark.getLine() + 1, mark.getColumn() + 1, field, reason);
    }

    /** A document as YAML, for the shipped playbooks and tests. */
    static String write(Map<String, Object> document) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setWidth(120);
        return new Yaml(options).dump(document);
    }

    /** The keys of one mapping, each read once, with problems placed at the key's value (or the mapping). */
    private static final class Fields {

        private final Map<String, Node> nodes = new LinkedHashMap<>();
        private final Mark start;
        private final String prefix;
        private final List<PlaybookProblem> problems;

        Fields(MappingNode mapping, List<String> allowed, String prefix, String has, List<PlaybookProblem> problems) {
            this.start = mapping.getStartMark();
            this.prefix = prefix;
            this.problems = problems;
            for (NodeTuple tuple : mapping.getValue()) {
                String key = tuple.getKeyNode() instanceof ScalarNode k ? k.getValue() : "";
                if (!allowed.contains(key)) {
                    String nearest = Conditions.nearest(key, allowed);
                    problems.add(at(
                            tuple.getKeyNode().getStartMark(),
                            prefix + key,
                            "unknown key" + (nearest == null ? "" : "; did you mean '" + nearest + "'?") + " " + has
                                    + " " + allowed));
                } else if (nodes.put(key, tuple.getValueNode()) != null) {
                    problems.add(at(tuple.getKeyNode().getStartMark(), prefix + key, "is given twice"));
                }
            }
        }

        List<String> keys() {
            return List.copyOf(nodes.keySet());
        }

        Node node(String key) {
            return nodes.get(key);
        }

        String text(String key) {
            Node node = nodes.get(key);
            if (node == null) {
                return null;
            }
            if (!(node instanceof ScalarNode scalar)) {
                problems.add(at(node.getStartMark(), prefix + key, "must be text"));
                nodes.remove(key);
                return null;
            }
            return scalar.getValue();
        }

        void problem(String key, String reason) {
            Node node = nodes.get(key);
            problems.add(at(node == null ? start : node.getStartMark(), prefix + key, reason));
        }

        int integer(String key, int minimum, int maximum, int otherwise, String what) {
            String text = text(key);
            if (text == null) {
                return otherwise;
            }
            try {
                int value = Integer.parseInt(text.strip());
                if (value >= minimum && value <= maximum) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            problem(key, "is '" + text + "': " + what + ", " + minimum + " to " + maximum);
            return otherwise;
        }

        String choice(String key, List<String> choices, String otherwise, boolean required) {
            String text = text(key);
            if (text == null) {
                if (required) {
                    problem(key, "is required: one of " + choices);
                }
                return otherwise;
            }
            String value = text.strip().toLowerCase(Locale.ROOT);
            if (!choices.contains(value)) {
                String nearest = Conditions.nearest(value, choices);
                problem(
                        key,
                        "is '" + text + "'"
                                + (nearest == null
                                        ? "; use one of " + choices
                                        : "; did you mean '" + nearest + "'? Use one of " + choices));
                return otherwise;
            }
            return value;
        }
    }
}
