package dev.steward.outreach;

import dev.steward.core.Conditions;
import dev.steward.core.InvalidInputException;
import dev.steward.core.YamlText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads and checks journey documents (YAML): every problem at once, each at its line and column, including those
 * inside CEL conditions, merge fields that do not exist, segments, stages and surveys that do not exist, and branches
 * to steps that are not ahead of them.
 */
final class JourneyDocuments {

    static final int MAXIMUM_LENGTH = 64 * 1024;
    static final int MAXIMUM_STEPS = 50;
    static final int MAXIMUM_WAIT_DAYS = 365;
    static final int MAXIMUM_HOLDOUT = 50;
    static final String END = "end";

    /** The merge fields a template may use. */
    static final List<String> MERGE_FIELDS = List.of(
            "contact",
            "contact.first_name",
            "contact.email",
            "account",
            "csm",
            "csm.email",
            "health.score",
            "health.color",
            "renewal",
            "unsubscribe",
            "preferences");

    static final Pattern MERGE_FIELD = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");

    static final List<String> ROLES = List.of("champion", "executive_sponsor", "admin", "end_user", "other");

    private static final List<String> KEYS = List.of(
            "name",
            "description",
            "audience",
            "trigger",
            "steps",
            "exitWhen",
            "goal",
            "holdoutPercent",
            "stopOnReply",
            "category",
            "sendWindow",
            "from");
    private static final List<String> WINDOW_KEYS = List.of("days", "from", "to");
    private static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9 _-]{0,49}");
    private static final List<String> AUDIENCE_KEYS = List.of("segment", "roles", "condition");
    private static final List<String> TRIGGER_KEYS =
            List.of("type", "segment", "stage", "days", "measure", "crosses", "value", "event", "within", "did");
    private static final List<String> CROSSES = List.of("below", "above");
    static final int MAXIMUM_WITHIN_DAYS = 365;
    private static final List<String> STEP_KINDS = List.of("email", "wait", "branch", "survey", "exit");
    private static final List<String> EMAIL_KEYS = List.of("subject", "text", "html");
    private static final List<String> BRANCH_KEYS = List.of("if", "then", "else");
    private static final Map<JourneyDocument.TriggerType, List<String>> TRIGGER_READS = Map.of(
            JourneyDocument.TriggerType.SEGMENT_ENTERED, List.of("segment"),
            JourneyDocument.TriggerType.STAGE_ENTERED, List.of("stage"),
            JourneyDocument.TriggerType.RENEWAL, List.of("days"),
            JourneyDocument.TriggerType.MEASURE_CROSSED, List.of("measure", "crosses", "value"),
            JourneyDocument.TriggerType.PRODUCT_EVENT, List.of("event", "within", "did"));
    /** Settings a trigger reads that may be left out. */
    private static final Set<String> OPTIONAL = Set.of("did");

    private static final Comparator<JourneyProblem> BY_PLACE = Comparator.comparing(
                    JourneyProblem::line, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(JourneyProblem::column, Comparator.nullsLast(Comparator.naturalOrder()));

    private final Conditions conditions;
    private final Set<String> segments;
    private final Set<String> stages;
    private final Map<String, UUID> surveys;
    private final Set<String> measures;
    private final Set<String> metrics;

    /**
     * Documents checked against these condition declarations, published segments, stage keys of the lifecycle
     * journey in force, surveys (by name), the measures of published scorecards (by name) and usage metrics (by key).
     */
    JourneyDocuments(
            Conditions conditions,
            Set<String> segments,
            Set<String> stages,
            Map<String, UUID> surveys,
            Set<String> measures,
            Set<String> metrics) {
        this.conditions = conditions;
        this.segments = Set.copyOf(segments);
        this.stages = Set.copyOf(stages);
        this.surveys = Map.copyOf(surveys);
        this.measures = Set.copyOf(measures);
        this.metrics = Set.copyOf(metrics);
    }

    /** A number as a document shows it: whole numbers without a fraction. */
    static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? String.valueOf((long) value)
                : String.valueOf(value);
    }

    /** Whether a tracked link's address may be redirected to: an absolute http(s) URL. */
    static boolean isTrackable(String url) {
        try {
            java.net.URI uri = new java.net.URI(url);
            return uri.getHost() != null
                    && ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()));
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** A journey as read: the document ({@code null} unless it is valid) and every problem, by place. */
    record Check(@Nullable JourneyDocument document, List<JourneyProblem> problems) {

        boolean isValid() {
            return document != null && problems.isEmpty();
        }
    }

    /** Refuses a document longer than a journey may be, before anything reads it. */
    static void checkLength(String yaml) {
        if (yaml.length() > MAXIMUM_LENGTH) {
            throw new InvalidInputException(
                    "document",
                    "has " + yaml.length() / 1024 + " KB; a journey may have at most " + MAXIMUM_LENGTH / 1024 + " KB");
        }
    }

    /** Reads a document kept under a journey's name ({@code null}: any): its own name must be that name. */
    Check read(String yaml, @Nullable String expectedName) {
        checkLength(yaml);
        List<JourneyProblem> problems = new ArrayList<>();
        YamlText.Composed composed = YamlText.compose(yaml, MAXIMUM_LENGTH);
        if (composed.problem() != null) {
            return new Check(
                    null,
                    List.of(new JourneyProblem(
                            composed.place().line(), composed.place().column(), "", composed.problem())));
        }
        Node root = composed.root();
        if (root == null) {
            return new Check(null, List.of(new JourneyProblem(1, 1, "", "the document is empty")));
        }
        if (!(root instanceof MappingNode mapping)) {
            return new Check(
                    null,
                    List.of(at(root.getStartMark(), "", "must be a mapping with name, audience, trigger and steps")));
        }
        Fields top = new Fields(mapping, KEYS, "", "A journey has", problems);
        String name = top.text("name");
        if (name == null || name.isBlank() || name.length() > 100) {
            top.problem("name", "is required, not blank, at most 100 characters");
        } else if (expectedName != null && !expectedName.equals(name)) {
            top.problem(
                    "name",
                    "is '" + name + "' but this is journey '" + expectedName
                            + "'; save a new journey under its own name");
        }
        String description = top.text("description");
        JourneyDocument.Audience audience = audience(yaml, top, problems);
        JourneyDocument.Trigger trigger = trigger(top, problems);
        List<JourneyDocument.Step> steps = steps(yaml, top, problems);
        String exitWhen = condition(yaml, top, "exitWhen", problems);
        String goal = condition(yaml, top, "goal", problems);
        int holdout = top.integer("holdoutPercent", 0, MAXIMUM_HOLDOUT, 0, "a whole percentage");
        String stopOnReply = top.text("stopOnReply");
        if (stopOnReply != null && !List.of("true", "false").contains(stopOnReply.strip())) {
            top.problem("stopOnReply", "must be true (a reply ends the contact's journeys; the default) or false");
        }
        String category = category(top);
        SendWindow window = sendWindow(top, problems);
        String from = sender(top);
        problems.sort(BY_PLACE);
        JourneyDocument document = problems.isEmpty() && trigger != null
                ? new JourneyDocument(
                        name,
                        description == null ? "" : description,
                        audience,
                        trigger,
                        steps,
                        exitWhen,
                        goal,
                        holdout,
                        !"false".equals(stopOnReply == null ? null : stopOnReply.strip()),
                        category,
                        window,
                        from)
                : null;
        return new Check(document, problems);
    }

    private static @Nullable String category(Fields top) {
        String category = top.text("category");
        if (category == null) {
            return null;
        }
        category = category.strip().toLowerCase(Locale.ROOT);
        if (!CATEGORY.matcher(category).matches()) {
            top.problem(
                    "category",
                    "must be a short name of the kind of mail (letters, digits, spaces, - and _; at most 50), such as"
                            + " onboarding or product news: contacts switch kinds off on their preference page");
            return null;
        }
        return category;
    }

    private static @Nullable String sender(Fields top) {
        String from = top.text("from");
        if (from == null) {
            return null;
        }
        try {
            jakarta.mail.internet.InternetAddress address =
                    new jakarta.mail.internet.InternetAddress(from.strip(), true);
            address.validate();
            return address.toUnicodeString();
        } catch (jakarta.mail.internet.AddressException e) {
            top.problem("from", "'" + from + "' is not an address such as Success Team <success@example.com>");
            return null;
        }
    }

    private static SendWindow sendWindow(Fields top, List<JourneyProblem> problems) {
        Node node = top.node("sendWindow");
        if (node == null) {
            return SendWindow.ALWAYS;
        }
        if (!(node instanceof MappingNode mapping)) {
            problems.add(at(node.getStartMark(), "sendWindow", "must be a mapping with days, from and to"));
            return SendWindow.ALWAYS;
        }
        Fields fields = new Fields(mapping, WINDOW_KEYS, "sendWindow.", "A send window has", problems);
        java.util.EnumSet<java.time.DayOfWeek> days = java.util.EnumSet.noneOf(java.time.DayOfWeek.class);
        Node daysNode = fields.node("days");
        if (daysNode instanceof SequenceNode sequence) {
            for (int i = 0; i < sequence.getValue().size(); i++) {
                Node item = sequence.getValue().get(i);
                String day = item instanceof ScalarNode d ? d.getValue().strip().toLowerCase(Locale.ROOT) : "";
                java.time.DayOfWeek found = Arrays.stream(java.time.DayOfWeek.values())
                        .filter(d -> d.name().toLowerCase(Locale.ROOT).startsWith(day) && day.length() >= 3)
                        .findFirst()
                        .orElse(null);
                if (found == null) {
                    problems.add(at(
                            item.getStartMark(),
                            "sendWindow.days[" + i + "]",
                            "'" + day + "' is not a day; the days are mon, tue, wed, thu, fri, sat, sun"));
                } else {
                    days.add(found);
                }
            }
        } else if (daysNode != null) {
            problems.add(at(daysNode.getStartMark(), "sendWindow.days", "must be a list of days such as [mon, tue]"));
        }
        java.time.LocalTime from = time(fields, "from", false);
        java.time.LocalTime to = time(fields, "to", true);
        boolean midnight = to == null || to.equals(java.time.LocalTime.MAX);
        if (from != null && to != null && !midnight && !from.isBefore(to)) {
            fields.problem("to", "must be later than from (" + from + "); a window does not run past midnight");
        }
        return new SendWindow(
                days,
                from == null ? java.time.LocalTime.MIDNIGHT : from,
                midnight ? java.time.LocalTime.MIDNIGHT : to,
                midnight);
    }

    /** A time of day as {@code HH:mm}; {@code 24:00}, for {@code to} alone, is the end of the day (as MAX). */
    private static java.time.@Nullable LocalTime time(Fields fields, String key, boolean endOfDay) {
        String text = fields.text(key);
        if (text == null) {
            return null;
        }
        if (endOfDay && text.strip().equals("24:00")) {
            return java.time.LocalTime.MAX;
        }
        try {
            if (text.strip().matches("\\d{2}:\\d{2}")) {
                return java.time.LocalTime.parse(text.strip());
            }
        } catch (java.time.format.DateTimeParseException e) {
            // answered below
        }
        fields.problem(
                key, "is '" + text + "': a time of day as HH:mm, such as 09:00" + (endOfDay ? " (or 24:00)" : ""));
        return null;
    }

    private JourneyDocument.Audience audience(String yaml, Fields top, List<JourneyProblem> problems) {
        Node node = top.node("audience");
        List<String> allRoles = ROLES;
        if (node == null) {
            return new JourneyDocument.Audience(null, allRoles);
        }
        if (!(node instanceof MappingNode mapping)) {
            problems.add(at(node.getStartMark(), "audience", "must be a mapping with segment and roles"));
            return new JourneyDocument.Audience(null, allRoles);
        }
        Fields fields = new Fields(mapping, AUDIENCE_KEYS, "audience.", "An audience has", problems);
        String segment = fields.text("segment");
        if (segment != null) {
            segment = segment.strip();
            checkSegment(fields, segment);
        }
        List<String> roles = new ArrayList<>();
        Node rolesNode = fields.node("roles");
        if (rolesNode instanceof SequenceNode sequence) {
            for (int i = 0; i < sequence.getValue().size(); i++) {
                Node item = sequence.getValue().get(i);
                String role =
                        item instanceof ScalarNode s ? s.getValue().strip().toLowerCase(Locale.ROOT) : "";
                if (!ROLES.contains(role)) {
                    String nearest = Conditions.nearest(role, ROLES);
                    problems.add(at(
                            item.getStartMark(),
                            "audience.roles[" + i + "]",
                            "'" + role + "' is not a contact role"
                                    + (nearest == null ? "" : "; did you mean '" + nearest + "'?") + " The roles are "
                                    + ROLES));
                } else if (!roles.contains(role)) {
                    roles.add(role);
                }
            }
        } else if (rolesNode != null) {
            problems.add(at(rolesNode.getStartMark(), "audience.roles", "must be a list of contact roles " + ROLES));
        }
        String condition = fields.text("condition");
        if (condition != null && condition.isBlank()) {
            fields.problem("condition", "must not be blank; leave it out when there is none");
            condition = null;
        } else if (condition != null) {
            compile(yaml, (ScalarNode) fields.node("condition"), condition, "audience.condition", problems);
        }
        return new JourneyDocument.Audience(segment, roles.isEmpty() ? allRoles : List.copyOf(roles), condition);
    }

    private JourneyDocument.@Nullable Trigger trigger(Fields top, List<JourneyProblem> problems) {
        Node node = top.node("trigger");
        List<String> types = Arrays.stream(JourneyDocument.TriggerType.values())
                .map(JourneyDocument.TriggerType::value)
                .toList();
        if (node == null) {
            top.problem(
                    "trigger",
                    "is required: what enrols an account's contacts, such as {type: segment_entered, segment: SMB},"
                            + " {type: stage_entered, stage: onboarding} or {type: renewal, days: 90}");
            return null;
        }
        if (!(node instanceof MappingNode mapping)) {
            problems.add(at(node.getStartMark(), "trigger", "must be a mapping with a type and its settings"));
            return null;
        }
        Fields fields = new Fields(mapping, TRIGGER_KEYS, "trigger.", "A trigger has", problems);
        String typeText = fields.text("type");
        if (typeText == null && fields.node("measure") != null) {
            typeText = JourneyDocument.TriggerType.MEASURE_CROSSED.value();
        } else if (typeText == null && fields.node("event") != null) {
            typeText = JourneyDocument.TriggerType.PRODUCT_EVENT.value();
        }
        String typeValue = typeText == null ? "" : typeText.strip().toLowerCase(Locale.ROOT);
        if (!types.contains(typeValue)) {
            String nearest = typeText == null ? null : Conditions.nearest(typeValue, types);
            fields.problem(
                    "type",
                    (typeText == null ? "is required" : "is '" + typeText + "'")
                            + (nearest == null ? "" : "; did you mean '" + nearest + "'?") + " The types are "
                            + types);
            return null;
        }
        JourneyDocument.TriggerType type = JourneyDocument.TriggerType.valueOf(typeValue.toUpperCase(Locale.ROOT));
        List<String> reads = TRIGGER_READS.get(type);
        for (String key : fields.keys()) {
            if (!key.equals("type") && !reads.contains(key)) {
                fields.problem(key, "is not read by a " + type.value() + " trigger, which has " + reads);
            }
        }
        for (String key : reads) {
            if (fields.node(key) == null && !OPTIONAL.contains(key)) {
                fields.problem(key, "is required by a " + type.value() + " trigger");
            }
        }
        String segment = fields.text("segment");
        if (segment != null) {
            segment = segment.strip();
            checkSegment(fields, segment);
        }
        String stage = fields.text("stage");
        if (stage != null && !stages.contains(stage.strip())) {
            String nearest = Conditions.nearest(stage, stages);
            fields.problem(
                    "stage",
                    "no stage of the lifecycle journey in force has the key '" + stage + "'"
                            + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
                            + (stages.isEmpty()
                                    ? " No lifecycle journey is published"
                                    : " The stages are " + new TreeSet<>(stages)));
        }
        Integer days = fields.node("days") == null ? null : fields.integer("days", 1, 730, 0, "whole days");
        JourneyDocument.Crossing crossing = null;
        if (type == JourneyDocument.TriggerType.MEASURE_CROSSED) {
            crossing = measureCrossing(fields);
        } else if (type == JourneyDocument.TriggerType.PRODUCT_EVENT) {
            crossing = productEvent(fields);
        }
        return new JourneyDocument.Trigger(type, segment, stage == null ? null : stage.strip(), days, crossing);
    }

    private JourneyDocument.@Nullable Crossing measureCrossing(Fields fields) {
        String measure = fields.text("measure");
        String crosses = fields.text("crosses");
        String value = fields.text("value");
        boolean known = true;
        if (measure != null) {
            measure = measure.strip();
            if (!measures.contains(measure) && !metrics.contains(measure)) {
                Set<String> all = new TreeSet<>(measures);
                all.addAll(metrics);
                String nearest = Conditions.nearest(measure, all);
                fields.problem(
                        "measure",
                        "no measure of a published scorecard nor usage metric is named '" + measure + "'"
                                + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
                                + (all.isEmpty() ? " (there are none yet)" : ""));
                known = false;
            }
        }
        String side = crosses == null ? null : crosses.strip().toLowerCase(Locale.ROOT);
        if (side != null && !CROSSES.contains(side)) {
            String nearest = Conditions.nearest(side, CROSSES);
            fields.problem(
                    "crosses",
                    "is '" + crosses + "'" + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
                            + " It is below or above");
        }
        Double threshold = null;
        if (value != null) {
            try {
                threshold = Double.parseDouble(value.strip());
                if (!Double.isFinite(threshold)) {
                    threshold = null;
                }
            } catch (NumberFormatException e) {
                threshold = null;
            }
            if (threshold == null) {
                fields.problem("value", "is '" + value + "': a number the measure crosses");
            }
        }
        if (measure == null || !known || side == null || !CROSSES.contains(side) || threshold == null) {
            return null;
        }
        // A scorecard measure's name is read as such first: the value the account's latest score had for it.
        return new JourneyDocument.Crossing(
                measure, !measures.contains(measure), side.equals("below"), threshold, null, true);
    }

    private JourneyDocument.@Nullable Crossing productEvent(Fields fields) {
        String event = fields.text("event");
        boolean known = true;
        if (event != null) {
            event = event.strip();
            if (!metrics.contains(event)) {
                String nearest = Conditions.nearest(event, metrics);
                fields.problem(
                        "event",
                        "no usage metric counts an event named '" + event + "'"
                                + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
                                + (metrics.isEmpty() ? " (there are no usage metrics yet)" : ""));
                known = false;
            }
        }
        Integer within = fields.node("within") == null
                ? null
                : fields.integer("within", 1, MAXIMUM_WITHIN_DAYS, 0, "whole days");
        String did = fields.text("did");
        if (did != null && !List.of("true", "false").contains(did.strip())) {
            fields.problem("did", "must be true (the account did the event; the default) or false (it did not)");
            return null;
        }
        if (event == null || !known || within == null || within == 0) {
            return null;
        }
        return new JourneyDocument.Crossing(
                event, true, false, 0, within, !"false".equals(did == null ? null : did.strip()));
    }

    private void checkSegment(Fields fields, String segment) {
        if (!segments.contains(segment)) {
            String nearest = Conditions.nearest(segment, segments);
            fields.problem(
                    "segment",
                    "no published segment is named '" + segment + "'"
                            + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
                            + (segments.isEmpty() ? " (none is published)" : ""));
        }
    }

    /** A step as first read, with the names its branch goes to, resolved once every step's id is known. */
    private record Read(
            JourneyDocument.@Nullable Step step,
            @Nullable String then,
            @Nullable String otherwise,
            Node node) {}

    private List<JourneyDocument.Step> steps(String yaml, Fields top, List<JourneyProblem> problems) {
        Node node = top.node("steps");
        if (node == null) {
            top.problem("steps", "is required: a list of email, wait, branch, survey and exit steps");
            return List.of();
        }
        if (!(node instanceof SequenceNode sequence) || sequence.getValue().isEmpty()) {
            problems.add(at(node.getStartMark(), "steps", "must be a list of at least one step"));
            return List.of();
        }
        if (sequence.getValue().size() > MAXIMUM_STEPS) {
            problems.add(at(
                    node.getStartMark(),
                    "steps",
                    "has " + sequence.getValue().size() + " steps; at most " + MAXIMUM_STEPS));
            return List.of();
        }
        List<Read> read = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < sequence.getValue().size(); i++) {
            Node item = sequence.getValue().get(i);
            String field = "steps[" + i + "]";
            if (item instanceof ScalarNode scalar && scalar.getValue().strip().equals("exit")) {
                read.add(new Read(new JourneyDocument.Exit(null), null, null, item));
                continue;
            }
            if (!(item instanceof MappingNode mapping)) {
                problems.add(at(item.getStartMark(), field, "must be one of " + STEP_KINDS + ", with an optional id"));
                read.add(new Read(null, null, null, item));
                continue;
            }
            List<String> allowed = new ArrayList<>(STEP_KINDS);
            allowed.add("id");
            Fields fields = new Fields(mapping, allowed, field + ".", "A step has an id and one of", problems);
            String id = fields.text("id");
            if (id != null) {
                id = id.strip();
                if (id.isEmpty() || id.equals(END) || ids.containsKey(id)) {
                    fields.problem(
                            "id",
                            id.equals(END)
                                    ? "'end' names the end of the journey; choose another id"
                                    : "must be a name given to one step only");
                } else {
                    ids.put(id, i);
                }
            }
            List<String> kinds =
                    fields.keys().stream().filter(STEP_KINDS::contains).toList();
            if (kinds.size() != 1) {
                problems.add(at(
                        item.getStartMark(),
                        field,
                        kinds.isEmpty()
                                ? "says nothing to do: give one of " + STEP_KINDS
                                : "has " + kinds + "; a step does one thing"));
                read.add(new Read(null, null, null, item));
                continue;
            }
            read.add(step(yaml, kinds.get(0), id, fields, field, problems, item));
        }
        List<JourneyDocument.Step> steps = new ArrayList<>();
        for (int i = 0; i < read.size(); i++) {
            Read r = read.get(i);
            if (r.step() instanceof JourneyDocument.Branch branch) {
                int then = target(r.then(), i, read.size(), ids, "steps[" + i + "].branch.then", r.node(), problems);
                int otherwise = r.otherwise() == null
                        ? i + 1
                        : target(
                                r.otherwise(), i, read.size(), ids, "steps[" + i + "].branch.else", r.node(), problems);
                steps.add(new JourneyDocument.Branch(branch.id(), branch.condition(), then, otherwise));
            } else if (r.step() != null) {
                steps.add(r.step());
            }
        }
        return steps;
    }

    private int target(
            @Nullable String name,
            int from,
            int count,
            Map<String, Integer> ids,
            String field,
            Node node,
            List<JourneyProblem> problems) {
        if (name == null) {
            problems.add(at(node.getStartMark(), field, "is required: the id of a later step, or 'end'"));
            return count;
        }
        if (name.equals(END)) {
            return count;
        }
        Integer index = ids.get(name);
        if (index == null) {
            String nearest = Conditions.nearest(name, ids.keySet());
            problems.add(at(
                    node.getStartMark(),
                    field,
                    "no step has the id '" + name + "'"
                            + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
                            + " Give the step an id, or use 'end'"));
            return count;
        }
        if (index <= from) {
            problems.add(at(
                    node.getStartMark(),
                    field,
                    "goes back to step '" + name + "'; a branch goes to a later step (journeys do not loop)"));
            return count;
        }
        return index;
    }

    private Read step(
            String yaml,
            String kind,
            @Nullable String id,
            Fields fields,
            String field,
            List<JourneyProblem> problems,
            Node item) {
        Node value = fields.node(kind);
        return switch (kind) {
            case "wait" ->
                new Read(
                        new JourneyDocument.Wait(id, fields.integer("wait", 1, MAXIMUM_WAIT_DAYS, 1, "whole days")),
                        null,
                        null,
                        item);
            case "exit" -> new Read(new JourneyDocument.Exit(id), null, null, item);
            case "survey" -> {
                String survey = fields.text("survey");
                UUID found = survey == null ? null : surveys.get(survey.strip());
                if (found == null) {
                    String nearest = survey == null ? null : Conditions.nearest(survey, surveys.keySet());
                    fields.problem(
                            "survey",
                            (survey == null ? "is required" : "no survey is named '" + survey + "'")
                                    + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
                                    + (surveys.isEmpty() ? " (there are no surveys yet)" : ""));
                    yield new Read(null, null, null, item);
                }
                yield new Read(new JourneyDocument.SurveyStep(id, found, survey.strip()), null, null, item);
            }
            case "email" -> {
                if (!(value instanceof MappingNode mapping)) {
                    problems.add(at(
                            value.getStartMark(), field + ".email", "must be a mapping with subject, text and html"));
                    yield new Read(null, null, null, item);
                }
                Fields email = new Fields(mapping, EMAIL_KEYS, field + ".email.", "An email has", problems);
                String subject = email.text("subject");
                String text = email.text("text");
                String html = email.text("html");
                if (subject == null || subject.isBlank() || subject.length() > 200 || subject.contains("\n")) {
                    email.problem("subject", "is required: one line of at most 200 characters");
                }
                if (text == null || text.isBlank()) {
                    email.problem("text", "is required: the plain-text part every email has (beside its html)");
                }
                for (String part : List.of("subject", "text", "html")) {
                    String template = email.text(part);
                    if (template != null) {
                        mergeFields(yaml, email, part, template, field + ".email." + part, problems);
                    }
                }
                yield new Read(new JourneyDocument.Email(id, subject, text, html), null, null, item);
            }
            default -> {
                if (!(value instanceof MappingNode mapping)) {
                    problems.add(
                            at(value.getStartMark(), field + ".branch", "must be a mapping with if, then and else"));
                    yield new Read(null, null, null, item);
                }
                Fields branch = new Fields(mapping, BRANCH_KEYS, field + ".branch.", "A branch has", problems);
                String condition = branch.text("if");
                if (condition == null || condition.isBlank()) {
                    branch.problem(
                            "if",
                            "is required: replied, answered, opened, clicked, or a CEL condition over the account");
                    yield new Read(null, null, null, item);
                }
                condition = condition.strip();
                if (!new JourneyDocument.Branch(id, condition, 0, 0).readsMail()) {
                    compile(yaml, (ScalarNode) branch.node("if"), condition, field + ".branch.if", problems);
                }
                String then = branch.text("then");
                String otherwise = branch.text("else");
                yield new Read(
                        new JourneyDocument.Branch(id, condition, 0, 0),
                        then == null ? null : then.strip(),
                        otherwise == null ? null : otherwise.strip(),
                        mapping);
            }
        };
    }

    private static void mergeFields(
            String yaml, Fields fields, String key, String template, String field, List<JourneyProblem> problems) {
        Matcher matcher = MERGE_FIELD.matcher(template);
        while (matcher.find()) {
            String name = matcher.group(1);
            boolean link = name.startsWith(OpenTracking.LINK);
            if (link
                    && (key.equals("subject")
                            || !isTrackable(
                                    name.substring(OpenTracking.LINK.length()).strip()))) {
                Node node = fields.node(key);
                YamlText.Place place = node instanceof ScalarNode scalar
                        ? placeOf(yaml, scalar, template, matcher.start())
                        : new YamlText.Place(null, null);
                problems.add(new JourneyProblem(
                        place.line(),
                        place.column(),
                        field,
                        key.equals("subject")
                                ? "a subject has no links; put {{" + name + "}} in text or html"
                                : "{{" + name + "}} is a tracked link to an absolute http(s) address, such as"
                                        + " {{link:https://example.com/guide}}"));
            } else if (!link && !MERGE_FIELDS.contains(name)) {
                String nearest = Conditions.nearest(name, MERGE_FIELDS);
                Node node = fields.node(key);
                YamlText.Place place = node instanceof ScalarNode scalar
                        ? placeOf(yaml, scalar, template, matcher.start())
                        : new YamlText.Place(null, null);
                problems.add(new JourneyProblem(
                        place.line(),
                        place.column(),
                        field,
                        "{{" + name + "}} is not a merge field"
                                + (nearest == null ? "" : "; did you mean {{" + nearest + "}}?") + " The fields are "
                                + MERGE_FIELDS));
            }
        }
    }

    /** Where an offset into a scalar's text is in the document. */
    private static YamlText.Place placeOf(String yaml, ScalarNode node, String text, int offset) {
        String before = text.substring(0, offset);
        int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
        int column = offset - before.lastIndexOf('\n');
        return YamlText.inYaml(yaml, node, text, line, column);
    }

    private @Nullable String condition(String yaml, Fields top, String key, List<JourneyProblem> problems) {
        String condition = top.text(key);
        if (condition == null) {
            return null;
        }
        if (condition.isBlank()) {
            top.problem(key, "must not be blank; leave it out when there is none");
            return null;
        }
        compile(yaml, (ScalarNode) top.node(key), condition, key, problems);
        return condition;
    }

    private void compile(String yaml, ScalarNode node, String condition, String field, List<JourneyProblem> problems) {
        for (Conditions.Problem problem : conditions.compile(condition).problems()) {
            YamlText.Place place = YamlText.inYaml(yaml, node, condition, problem.line(), problem.column());
            problems.add(new JourneyProblem(place.line(), place.column(), field, problem.reason()));
        }
    }

    static JourneyProblem at(Mark mark, String field, String reason) {
        return new JourneyProblem(mark.getLine() + 1, mark.getColumn() + 1, field, reason);
    }

    /** The keys of one mapping, each read once, with problems placed at the key's value (or the mapping). */
    private static final class Fields {

        private final Map<String, Node> nodes = new LinkedHashMap<>();
        private final Mark start;
        private final String prefix;
        private final List<JourneyProblem> problems;

        Fields(MappingNode mapping, List<String> allowed, String prefix, String has, List<JourneyProblem> problems) {
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

        @Nullable
        Node node(String key) {
            return nodes.get(key);
        }

        @Nullable
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
    }
}
