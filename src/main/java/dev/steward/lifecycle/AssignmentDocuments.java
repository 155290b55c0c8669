package dev.steward.lifecycle;

import dev.steward.core.Conditions;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads and checks the assignment rules (YAML): every problem at once, each at its line and column, including those
 * inside a territory's rule, people who cannot own accounts, and rules that would leave accounts without an owner.
 */
final class AssignmentDocuments {

    static final int MAXIMUM_TEAMS = 50;
    static final int MAXIMUM_TERRITORIES = 50;
    static final int MAXIMUM_POOL = 200;
    static final BigDecimal MAXIMUM_WEIGHT = BigDecimal.valueOf(1000);

    private static final List<String> KEYS = List.of("name", "description", "teams", "territories", "workload");
    private static final List<String> TEAM_KEYS = List.of("key", "name", "manager", "members");
    private static final List<String> TERRITORY_KEYS = List.of("key", "name", "description", "rule", "team", "owners");
    private static final List<String> WORKLOAD_KEYS =
            List.of("account", "red", "yellow", "renewal", "renewalDays", "per100kArr");
    private static final Set<Role> OWNER_ROLES = Set.of(Role.CSM, Role.MANAGER);

    private static final Comparator<SegmentProblem> BY_PLACE = Comparator.comparing(
                    SegmentProblem::line, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(SegmentProblem::column, Comparator.nullsLast(Comparator.naturalOrder()));

    private final Conditions conditions;
    private final Map<String, User> people;

    /**
     * Documents whose territory rules are checked against these declarations ({@link SegmentVariables#declare}) and
     * whose people must be among {@code people} (every user, by lower-case email).
     */
    AssignmentDocuments(Conditions conditions, Map<String, User> people) {
        this.conditions = conditions;
        this.people = people;
    }

    /** The rules as read: the document ({@code null} unless it is valid) and every problem, by place. */
    record Check(AssignmentDocument document, List<SegmentProblem> problems) {

        boolean isValid() {
            return document != null && problems.isEmpty();
        }
    }

    Check read(String yaml) {
        List<SegmentProblem> problems = new ArrayList<>();
        MappingNode mapping =
                JourneyDocuments.mapping(yaml, "assignment rules", "name, teams and territories", problems);
        if (mapping == null) {
            return new Check(null, problems);
        }
        Node root = mapping;
        Map<String, Node> fields = JourneyDocuments.fields(mapping, KEYS, "", "Assignment rules have", problems);
        Mark top = root.getStartMark();
        String name = JourneyDocuments.scalar(fields, "name", "", problems);
        if (name == null || name.isBlank() || name.length() > 100) {
            problems.add(JourneyDocuments.place(
                    fields, "name", top, "name", "is required, not blank, at most 100 characters"));
        }
        String description = JourneyDocuments.scalar(fields, "description", "", problems);
        List<AssignmentDocument.Team> teams = new ArrayList<>();
        Node teamList = fields.get("teams");
        if (teamList != null) {
            SequenceNode sequence = list(
                    teamList, "teams", MAXIMUM_TEAMS, "teams, each with key, name, manager and" + " members", problems);
            if (sequence != null) {
                Set<String> keys = new HashSet<>();
                for (int i = 0; i < sequence.getValue().size(); i++) {
                    AssignmentDocument.Team team = team(sequence.getValue().get(i), i, keys, problems);
                    if (team != null) {
                        teams.add(team);
                    }
                }
            }
        }
        Set<String> teamKeys = new HashSet<>();
        teams.forEach(t -> teamKeys.add(t.key()));
        List<AssignmentDocument.Territory> territories = new ArrayList<>();
        Node territoryList = fields.get("territories");
        if (territoryList == null) {
            problems.add(SegmentDocuments.at(
                    top,
                    "territories",
                    "is required: the territories in order, each with key, name, a rule (the last without one) and a"
                            + " team or owners"));
        } else {
            SequenceNode sequence = list(
                    territoryList,
                    "territories",
                    MAXIMUM_TERRITORIES,
                    "territories, each with key, name and a team" + " or owners",
                    problems);
            if (sequence != null) {
                if (sequence.getValue().isEmpty()) {
                    problems.add(SegmentDocuments.at(
                            territoryList.getStartMark(),
                            "territories",
                            "is empty: every account would be left without an owner"));
                }
                Set<String> keys = new HashSet<>();
                int last = sequence.getValue().size() - 1;
                for (int i = 0; i <= last; i++) {
                    AssignmentDocument.Territory territory =
                            territory(yaml, sequence.getValue().get(i), i, i == last, keys, teams, teamKeys, problems);
                    if (territory != null) {
                        territories.add(territory);
                    }
                }
            }
        }
        AssignmentDocument.Workload workload = AssignmentDocument.Workload.DEFAULT;
        Node weights = fields.get("workload");
        if (weights != null) {
            workload = workload(weights, problems);
        }
        problems.sort(BY_PLACE);
        return new Check(
                problems.isEmpty()
                        ? new AssignmentDocument(
                                name, description == null ? "" : description, teams, territories, workload)
                        : null,
                problems);
    }

    private AssignmentDocument.Team team(Node node, int index, Set<String> keys, List<SegmentProblem> problems) {
        String field = "teams[" + index + "]";
        if (!(node instanceof MappingNode mapping)) {
            problems.add(SegmentDocuments.at(
                    node.getStartMark(), field, "must be a mapping with key, name, manager and members"));
            return null;
        }
        int before = problems.size();
        Map<String, Node> fields = JourneyDocuments.fields(mapping, TEAM_KEYS, field + ".", "A team has", problems);
        Mark start = node.getStartMark();
        String key = JourneyDocuments.key(fields, start, field, "team", "enterprise", keys, problems);
        String name = JourneyDocuments.scalar(fields, "name", field + ".", problems);
        if (name == null || name.isBlank() || name.length() > 80) {
            problems.add(JourneyDocuments.place(
                    fields, "name", start, field + ".name", "is required, at most 80 characters"));
        }
        String manager = JourneyDocuments.scalar(fields, "manager", field + ".", problems);
        if (manager == null) {
            problems.add(JourneyDocuments.place(
                    fields, "manager", start, field + ".manager", "is required: the email of the team's manager"));
        } else {
            String problem = personProblem(manager, false);
            if (problem != null) {
                problems.add(JourneyDocuments.place(fields, "manager", start, field + ".manager", problem));
            }
        }
        List<String> members = people(fields, "members", field, start, true, problems);
        return problems.size() > before ? null : new AssignmentDocument.Team(key, name, normal(manager), members);
    }

    private AssignmentDocument.Territory territory(
            String yaml,
            Node node,
            int index,
            boolean last,
            Set<String> keys,
            List<AssignmentDocument.Team> teams,
            Set<String> teamKeys,
            List<SegmentProblem> problems) {
        String field = "territories[" + index + "]";
        if (!(node instanceof MappingNode mapping)) {
            problems.add(SegmentDocuments.at(
                    node.getStartMark(), field, "must be a mapping with key, name, rule and a team or owners"));
            return null;
        }
        int before = problems.size();
        Map<String, Node> fields =
                JourneyDocuments.fields(mapping, TERRITORY_KEYS, field + ".", "A territory has", problems);
        Mark start = node.getStartMark();
        String key = JourneyDocuments.key(fields, start, field, "territory", "emea_enterprise", keys, problems);
        String name = JourneyDocuments.scalar(fields, "name", field + ".", problems);
        if (name == null || name.isBlank() || name.length() > 80) {
            problems.add(JourneyDocuments.place(
                    fields, "name", start, field + ".name", "is required, at most 80 characters"));
        }
        String description = JourneyDocuments.scalar(fields, "description", field + ".", problems);
        String rule = JourneyDocuments.scalar(fields, "rule", field + ".", problems);
        if (rule != null && rule.isBlank()) {
            problems.add(JourneyDocuments.place(fields, "rule", start, field + ".rule", "must not be blank"));
        } else if (rule == null && !last && !fields.containsKey("rule")) {
            problems.add(SegmentDocuments.at(
                    start,
                    field + ".rule",
                    "is required here: only the last territory has no rule (it takes every account the others do"
                            + " not)"));
        } else if (rule != null && last) {
            problems.add(JourneyDocuments.place(
                    fields,
                    "rule",
                    start,
                    field + ".rule",
                    "the last territory must have no rule: accounts that match no territory would be left without"
                            + " an owner. Add a last territory without a rule for the rest"));
        } else if (rule != null && fields.get("rule") instanceof ScalarNode ruleNode) {
            for (Conditions.Problem problem : conditions.compile(rule).problems()) {
                SegmentProblem placed = SegmentDocuments.inYaml(
                        yaml, ruleNode, rule, problem.line(), problem.column(), problem.reason());
                problems.add(new SegmentProblem(placed.line(), placed.column(), field + ".rule", placed.reason()));
            }
        }
        String team = JourneyDocuments.scalar(fields, "team", field + ".", problems);
        boolean named = fields.containsKey("owners");
        List<String> owners = List.of();
        if ((team == null) == !named) {
            problems.add(SegmentDocuments.at(
                    start,
                    field,
                    "needs exactly one of team (whose members own its accounts) and owners (the people who do)"));
        } else if (team != null) {
            AssignmentDocument.Team found =
                    teams.stream().filter(t -> t.key().equals(team)).findFirst().orElse(null);
            if (found == null && !teamKeys.contains(team)) {
                String nearest = Conditions.nearest(team, teamKeys);
                problems.add(JourneyDocuments.place(
                        fields,
                        "team",
                        start,
                        field + ".team",
                        "no team has the key '" + team + "'"
                                + (nearest == null ? "" : "; did you mean '" + nearest + "'?") + " The teams are "
                                + teamKeys.stream().sorted().toList()));
            } else if (found != null && found.members().isEmpty()) {
                problems.add(JourneyDocuments.place(
                        fields,
                        "team",
                        start,
                        field + ".team",
                        "team '" + team + "' has no members: its accounts would be left without an owner"));
            }
        } else {
            owners = people(fields, "owners", field, start, true, problems);
        }
        return problems.size() > before
                ? null
                : new AssignmentDocument.Territory(
                        key, name, description == null ? "" : description, rule, team, owners);
    }

    private AssignmentDocument.Workload workload(Node node, List<SegmentProblem> problems) {
        if (!(node instanceof MappingNode mapping)) {
            problems.add(SegmentDocuments.at(node.getStartMark(), "workload", "must be a mapping of weights"));
            return null;
        }
        Map<String, Node> fields =
                JourneyDocuments.fields(mapping, WORKLOAD_KEYS, "workload.", "The workload has weights", problems);
        AssignmentDocument.Workload defaults = AssignmentDocument.Workload.DEFAULT;
        Mark start = node.getStartMark();
        BigDecimal account = weight(fields, "account", defaults.account(), start, problems);
        BigDecimal red = weight(fields, "red", defaults.red(), start, problems);
        BigDecimal yellow = weight(fields, "yellow", defaults.yellow(), start, problems);
        BigDecimal renewal = weight(fields, "renewal", defaults.renewal(), start, problems);
        BigDecimal arr = weight(fields, "per100kArr", defaults.per100kArr(), start, problems);
        int days = defaults.renewalDays();
        String text = JourneyDocuments.scalar(fields, "renewalDays", "workload.", problems);
        if (text != null) {
            try {
                days = Integer.parseInt(text.strip());
            } catch (NumberFormatException e) {
                days = -1;
            }
            if (days < 1 || days > 365) {
                problems.add(JourneyDocuments.place(
                        fields,
                        "renewalDays",
                        start,
                        "workload.renewalDays",
                        "is '" + text + "': the whole days ahead in which a renewal adds to the load, 1 to 365"));
            }
        }
        return new AssignmentDocument.Workload(account, red, yellow, renewal, days, arr);
    }

    private static BigDecimal weight(
            Map<String, Node> fields, String key, BigDecimal otherwise, Mark start, List<SegmentProblem> problems) {
        String text = JourneyDocuments.scalar(fields, key, "workload.", problems);
        if (text == null) {
            return otherwise;
        }
        BigDecimal value;
        try {
            value = new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            value = null;
        }
        if (value == null || value.signum() < 0 || value.compareTo(MAXIMUM_WEIGHT) > 0) {
            problems.add(JourneyDocuments.place(
                    fields,
                    key,
                    start,
                    "workload." + key,
                    "is '" + text + "': a weight is a number from 0 to " + MAXIMUM_WEIGHT));
            return otherwise;
        }
        return value;
    }

    /** A required, non-empty list of people who can own accounts, each named once; lower-case emails. */
    private List<String> people(
            Map<String, Node> fields,
            String key,
            String field,
            Mark start,
            boolean owners,
            List<SegmentProblem> problems) {
        Node node = fields.get(key);
        if (!(node instanceof SequenceNode sequence) || sequence.getValue().isEmpty()) {
            problems.add(JourneyDocuments.place(
                    fields,
                    key,
                    start,
                    field + "." + key,
                    "must be a list of at least one email of a person who owns accounts (a CSM or manager):"
                            + " otherwise its accounts would be left without an owner"));
            return List.of();
        }
        if (sequence.getValue().size() > MAXIMUM_POOL) {
            problems.add(SegmentDocuments.at(
                    node.getStartMark(),
                    field + "." + key,
                    "has " + sequence.getValue().size() + " people; at most " + MAXIMUM_POOL));
            return List.of();
        }
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < sequence.getValue().size(); i++) {
            Node item = sequence.getValue().get(i);
            String at = field + "." + key + "[" + i + "]";
            if (!(item instanceof ScalarNode scalar) || scalar.getValue().isBlank()) {
                problems.add(SegmentDocuments.at(item.getStartMark(), at, "must be an email"));
                continue;
            }
            String email = normal(scalar.getValue());
            String problem = personProblem(email, owners);
            if (problem == null && emails.contains(email)) {
                problem = "'" + email + "' is named twice";
            }
            if (problem != null) {
                problems.add(SegmentDocuments.at(item.getStartMark(), at, problem));
            } else {
                emails.add(email);
            }
        }
        return emails;
    }

    /** Why this email cannot be used here ({@code null} when it can): an account owner must be an enabled CSM or manager. */
    private String personProblem(String email, boolean owner) {
        User user = people.get(normal(email));
        if (user == null) {
            String nearest = Conditions.nearest(normal(email), people.keySet());
            return "no user has the email '" + email + "'"
                    + (nearest == null ? "" : "; did you mean '" + nearest + "'?");
        }
        if (!user.enabled()) {
            return user.email() + " is disabled and cannot " + (owner ? "own accounts" : "lead a team");
        }
        if (owner && !OWNER_ROLES.contains(user.role())) {
            return user.email() + " is " + user.role() + "; accounts are owned by CSMs and managers";
        }
        if (!owner && user.role() == Role.VIEWER) {
            return user.email() + " is a VIEWER and cannot lead a team";
        }
        return null;
    }

    private static SequenceNode list(Node node, String field, int maximum, String what, List<SegmentProblem> problems) {
        if (!(node instanceof SequenceNode sequence)) {
            problems.add(SegmentDocuments.at(node.getStartMark(), field, "must be a list of " + what));
            return null;
        }
        if (sequence.getValue().size() > maximum) {
            problems.add(SegmentDocuments.at(
                    node.getStartMark(), field, "has " + sequence.getValue().size() + " items; at most " + maximum));
            return null;
        }
        return sequence;
    }

    static String normal(String email) {
        return email == null ? null : email.strip().toLowerCase(Locale.ROOT);
    }
}
