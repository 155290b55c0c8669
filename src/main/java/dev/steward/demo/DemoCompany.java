package dev.steward.demo;

import dev.steward.demo.DemoHistory.Churn;
import dev.steward.demo.DemoHistory.Invoice;
import dev.steward.demo.DemoHistory.Meeting;
import dev.steward.demo.DemoHistory.Note;
import dev.steward.demo.DemoHistory.Person;
import dev.steward.demo.DemoHistory.Profile;
import dev.steward.demo.DemoHistory.Survey;
import dev.steward.demo.DemoHistory.Term;
import dev.steward.demo.DemoHistory.Ticket;
import dev.steward.demo.DemoHistory.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Simulates a B2B SaaS customer base. Each account has a hidden health that drifts, sometimes falls into a decline
 * (and sometimes recovers), and drives everything observable: usage, tickets, late payments, missed QBRs, NPS, a
 * champion leaving. Renewals are decided by the health in the months before them, so churn is preceded by plausible
 * but noisy signals; a few accounts churn with no warning at all (budget cuts, acquisitions). Deterministic: the same
 * seed, account index and end date always give the same history, whatever order accounts are generated in.
 */
final class DemoCompany {

    static final int HISTORY_DAYS = 730;
    static final int CSMS = 10;
    static final String[] KEY_FEATURES = {
        "feature.dashboards", "feature.reports", "feature.integrations", "feature.automations", "feature.api"
    };

    private static final String[] ADJECTIVES = {
        "Blue", "Northern", "Bright", "Summit", "Harbor", "Granite", "Silver", "Evergreen", "Copper", "Atlas",
        "Pioneer", "Crescent", "Redwood", "Lakeside", "Union", "Vertex", "Keystone", "Beacon", "Meridian", "Cobalt",
        "Golden", "Prairie", "Iron", "Coastal", "Pinnacle", "Riverstone", "Cedar", "Falcon", "Orchid", "Quantum"
    };
    private static final String[] NOUNS = {
        "Harbor", "Ridge", "Labs", "Works", "Systems", "Peak", "Bridge", "Field", "Point", "Stone", "Wave", "Path",
        "Forge", "Grove", "Gate", "Line", "Street", "Craft", "Core", "Trail"
    };
    private static final String[] SUFFIXES = {
        "Inc", "Group", "Logistics", "Health", "Analytics", "Foods", "Capital", "Energy", "Media", "Software",
        "Manufacturing", "Retail", "Partners", "Education", "Insurance", "Robotics", "Travel", "Bio", "Legal",
                "Mobility"
    };
    private static final String[] INDUSTRIES = {
        "Software",
        "Financial Services",
        "Healthcare",
        "Retail",
        "Manufacturing",
        "Education",
        "Media",
        "Logistics",
        "Professional Services",
        "Energy"
    };
    private static final String[] REGIONS = {"North America", "EMEA", "APAC", "LATAM"};
    private static final double[] REGION_SHARE = {0.5, 0.3, 0.15, 0.05};
    private static final String[] FIRST = {
        "Ada", "Ben", "Chloe", "Diego", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kara", "Liam", "Maya",
        "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sam", "Tara", "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zoe"
    };
    private static final String[] LAST = {
        "Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva", "Novak", "Haddad", "Kowalski", "Fischer", "Reyes",
        "Nakamura", "Osei", "Petrov", "Larsen", "Mendes", "Brennan", "Varga", "Iyer", "Dubois", "Keller"
    };
    private static final String[] TICKET_SUBJECTS = {
        "Cannot export report to CSV", "SSO login fails for new users", "Dashboard loads slowly",
        "Question about seat limits", "Integration sync stopped", "Billing address change",
        "API rate limit errors", "Data missing after import", "How do I set up automations?",
        "Permission error for admins", "Email notifications not arriving", "Feature request: custom fields"
    };

    private final long seed;
    private final LocalDate today;
    private final LocalDate windowStart;

    DemoCompany(long seed, LocalDate today) {
        this.seed = seed;
        this.today = today;
        this.windowStart = today.minusDays(HISTORY_DAYS);
    }

    LocalDate today() {
        return today;
    }

    static String accountExternalId(int index) {
        return "ACC-" + String.format("%07d", index);
    }

    static String csmEmail(int index) {
        return "csm" + (index + 1) + "@steward.local";
    }

    static String csmName(int index) {
        return FIRST[(index * 7 + 3) % FIRST.length] + " " + LAST[(index * 3 + 1) % LAST.length];
    }

    /**
     * A company name, unique among the first 12,000 accounts: the index walks every adjective, noun and suffix
     * combination in a seed-dependent order (7,919 is prime, so it is coprime with 12,000).
     */
    String name(int index) {
        int combinations = ADJECTIVES.length * NOUNS.length * SUFFIXES.length;
        int combination = (int) Math.floorMod(index * 7919L + seed * 104_729L, (long) combinations);
        String name = ADJECTIVES[combination % ADJECTIVES.length] + " "
                + NOUNS[combination / ADJECTIVES.length % NOUNS.length] + " "
                + SUFFIXES[combination / (ADJECTIVES.length * NOUNS.length)];
        return index < combinations ? name : name + " " + (index / combinations + 1);
    }

    /** The full history of account {@code index}. */
    DemoHistory generate(int index) {
        return new Simulation(index, new SplittableRandom(mix(seed, index))).run();
    }

    private static long mix(long seed, int index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** One account's life, day by day. */
    private final class Simulation {

        private final int index;
        private final SplittableRandom random;
        private final String externalId;
        private String tier;
        private LocalDate customerSince;
        private double[] health;
        private LocalDate churnedOn;
        private boolean silentChurn;
        private LocalDate championLeftOn;
        private int escalationsBeforeChurn;

        Simulation(int index, SplittableRandom random) {
            this.index = index;
            this.random = random;
            this.externalId = accountExternalId(index);
        }

        DemoHistory run() {
            String parent = null;
            int group = index % 50;
            if (group == 0) {
                tier = "Enterprise";
            } else if (group <= 2 && index >= 50) {
                parent = accountExternalId(index - group);
                tier = group == 1 ? "Enterprise" : "Mid-Market";
            } else {
                double t = random.nextDouble();
                tier = t < 0.15 ? "Enterprise" : t < 0.5 ? "Mid-Market" : "SMB";
            }
            String name = name(index);
            String domain = name.toLowerCase().replace(' ', '-') + "-" + index + ".example";
            int employees = switch (tier) {
                case "Enterprise" -> 1000 + random.nextInt(40_000);
                case "Mid-Market" -> 200 + random.nextInt(800);
                default -> 10 + random.nextInt(190);
            };
            int owner = switch (tier) {
                case "Enterprise" -> random.nextInt(3);
                case "Mid-Market" -> 3 + random.nextInt(4);
                default -> 7 + random.nextInt(3);
            };
            // A quarter of accounts became customers during the history window; the rest up to four years ago.
            customerSince = random.nextDouble() < 0.25
                    ? windowStart.plusDays(random.nextInt(HISTORY_DAYS - 45))
                    : windowStart.minusDays(random.nextInt(3 * 365));

            simulateHealth();
            List<Term> terms = contracts();
            List<Person> people = people(domain);
            List<Ticket> tickets = tickets();
            List<Invoice> invoices = invoices(terms);
            List<Meeting> meetings = meetings(people);
            List<Survey> surveys = surveys(people);
            List<Note> notes = notes();
            Churn churn = churnedOn == null ? null : churn(terms);
            List<Usage> usage = usage(terms);
            Profile profile = new Profile(
                    externalId,
                    name,
                    parent,
                    tier,
                    INDUSTRIES[random.nextInt(INDUSTRIES.length)],
                    region(),
                    employees,
                    owner,
                    stage(terms),
                    customerSince,
                    domain);
            return new DemoHistory(profile, people, terms, tickets, invoices, meetings, surveys, notes, churn, usage);
        }

        private String region() {
            double r = random.nextDouble();
            for (int i = 0; i < REGIONS.length; i++) {
                r -= REGION_SHARE[i];
                if (r < 0) {
                    return REGIONS[i];
                }
            }
            return REGIONS[0];
        }

        /** Health per day of the window: a mean-reverting walk with occasional declines and champion loss. */
        private void simulateHealth() {
            health = new double[HISTORY_DAYS + 1];
            double declineRate = switch (tier) {
                case "Enterprise" -> 0.12;
                case "Mid-Market" -> 0.2;
                default -> 0.3;
            };
            double normal = 0.55 + random.nextDouble() * 0.3;
            double target = normal;
            double h = clamp(normal + gaussian(0.1));
            int recoverAt = -1;
            for (int day = 0; day <= HISTORY_DAYS; day++) {
                if (recoverAt == day) {
                    target = normal;
                }
                if (target == normal && random.nextDouble() < declineRate / 365) {
                    target = 0.1 + random.nextDouble() * 0.2;
                    // Some declines pass: the customer recovers after three to eight months.
                    recoverAt = random.nextDouble() < 0.35 ? day + 90 + random.nextInt(150) : -1;
                }
                boolean championSettled = windowStart.plusDays(day).isAfter(customerSince.plusDays(90));
                if (championLeftOn == null
                        && championSettled
                        && random.nextDouble() < (target < normal ? 0.0022 : 0.0001)) {
                    championLeftOn = windowStart.plusDays(day);
                    h -= 0.12;
                    target = Math.min(target, normal - 0.2);
                }
                h += (target - h) * 0.02 + gaussian(0.015);
                health[day] = clamp(h);
            }
        }

        private double healthOn(LocalDate date) {
            int day = (int) ChronoUnit.DAYS.between(windowStart, date);
            return health[Math.max(0, Math.min(HISTORY_DAYS, day))];
        }

        private double averageHealth(LocalDate from, LocalDate to) {
            double sum = 0;
            int n = 0;
            for (LocalDate d = from; d.isBefore(to); d = d.plusDays(7)) {
                sum += healthOn(d);
                n++;
            }
            return n == 0 ? healthOn(to) : sum / n;
        }

        /** Annual contracts from the first one that overlaps the window; renewal decided by recent health. */
        private List<Term> contracts() {
            List<Term> terms = new ArrayList<>();
            LocalDate start = customerSince;
            while (start.plusYears(1).isBefore(windowStart)) {
                start = start.plusYears(1);
            }
            int seats = switch (tier) {
                case "Enterprise" -> 200 + random.nextInt(1800);
                case "Mid-Market" -> 30 + random.nextInt(170);
                default -> 3 + random.nextInt(27);
            };
            double perSeat = switch (tier) {
                case "Enterprise" -> 180 + random.nextInt(120);
                case "Mid-Market" -> 300 + random.nextInt(150);
                default -> 420 + random.nextInt(200);
            };
            String plan = switch (tier) {
                case "Enterprise" -> "Enterprise";
                case "Mid-Market" -> random.nextBoolean() ? "Business" : "Business Plus";
                default -> random.nextBoolean() ? "Starter" : "Team";
            };
            String previous = null;
            silentChurn = random.nextDouble() < 0.025;
            for (int n = 1; ; n++) {
                LocalDate end = start.plusYears(1);
                String id = externalId + "-C" + n;
                BigDecimal arr = BigDecimal.valueOf(seats * perSeat).setScale(2, RoundingMode.HALF_UP);
                boolean ended = !end.isAfter(today);
                if (!ended) {
                    terms.add(new Term(id, previous, start, end, arr, seats, plan, "active", true));
                    break;
                }
                double recent = averageHealth(end.minusDays(90), end);
                double pChurn = 1 / (1 + Math.exp(-(2.56 - 8.63 * recent)));
                boolean churns =
                        random.nextDouble() < pChurn || (silentChurn && !end.isBefore(windowStart.plusDays(120)));
                if (churns && !end.isBefore(windowStart)) {
                    terms.add(new Term(id, previous, start, end, arr, seats, plan, "ended", false));
                    churnedOn = end;
                    break;
                }
                terms.add(new Term(id, previous, start, end, arr, seats, plan, "ended", true));
                if (recent > 0.65 && random.nextDouble() < 0.35) {
                    seats = (int) Math.ceil(seats * (1.1 + random.nextDouble() * 0.3));
                } else if (recent < 0.45 && random.nextDouble() < 0.3) {
                    seats = Math.max(1, (int) (seats * (0.7 + random.nextDouble() * 0.2)));
                }
                perSeat *= 1.03;
                previous = id;
                start = end;
            }
            return terms;
        }

        private boolean activeOn(LocalDate day) {
            return !day.isBefore(customerSince)
                    && (churnedOn == null || day.isBefore(churnedOn))
                    && !day.isAfter(today);
        }

        private LocalDate lastActiveDay() {
            return churnedOn == null ? today : churnedOn.minusDays(1);
        }

        private LocalDate firstActiveDay() {
            return customerSince.isAfter(windowStart) ? customerSince : windowStart;
        }

        private List<Person> people(String domain) {
            int count = 3 + random.nextInt(6);
            List<Person> people = new ArrayList<>();
            String[] roles = {"champion", "executive_sponsor", "admin"};
            for (int i = 0; i < count; i++) {
                String role = i < roles.length ? roles[i] : random.nextDouble() < 0.2 ? "admin" : "end_user";
                String first = FIRST[random.nextInt(FIRST.length)];
                String last = LAST[random.nextInt(LAST.length)];
                LocalDate joined = customerSince.plusDays(random.nextInt(60));
                LocalDate left = role.equals("champion") ? championLeftOn : null;
                people.add(new Person(
                        externalId + "-P" + (i + 1),
                        first + " " + last,
                        (first + "." + last + (i + 1)).toLowerCase() + "@" + domain,
                        title(role),
                        role,
                        joined,
                        left));
            }
            if (championLeftOn != null
                    && (churnedOn == null || championLeftOn.plusDays(120).isBefore(churnedOn))) {
                LocalDate joined = championLeftOn.plusDays(30 + random.nextInt(60));
                if (!joined.isAfter(today)) {
                    String first = FIRST[random.nextInt(FIRST.length)];
                    String last = LAST[random.nextInt(LAST.length)];
                    people.add(new Person(
                            externalId + "-P" + (count + 1),
                            first + " " + last,
                            (first + "." + last + "." + "new").toLowerCase() + "@" + domain,
                            "Operations Lead",
                            "champion",
                            joined,
                            null));
                }
            }
            return people;
        }

        private String title(String role) {
            return switch (role) {
                case "champion" -> "Head of Operations";
                case "executive_sponsor" -> random.nextBoolean() ? "VP Customer Experience" : "COO";
                case "admin" -> "Systems Administrator";
                default -> "Analyst";
            };
        }

        private List<Ticket> tickets() {
            List<Ticket> tickets = new ArrayList<>();
            double base = switch (tier) {
                case "Enterprise" -> 1.2;
                case "Mid-Market" -> 0.5;
                default -> 0.18;
            };
            int n = 0;
            for (LocalDate week = firstActiveDay(); !week.isAfter(lastActiveDay()); week = week.plusDays(7)) {
                double h = healthOn(week);
                int count = poisson(base * (0.6 + 2.2 * (1 - h) * (1 - h) * 2));
                for (int i = 0; i < count; i++) {
                    Instant opened = at(week.plusDays(random.nextInt(7)), 8 + random.nextInt(10));
                    if (opened.isAfter(today.atStartOfDay().toInstant(ZoneOffset.UTC))) {
                        continue;
                    }
                    boolean escalated = random.nextDouble() < 0.03 + 0.3 * (1 - h) * (1 - h);
                    if (escalated && churnedOn != null && week.isAfter(churnedOn.minusDays(120))) {
                        escalationsBeforeChurn++;
                    }
                    String priority = escalated ? "urgent" : random.nextDouble() < 0.3 * (1 - h) ? "high" : "normal";
                    Instant firstResponse =
                            opened.plus(30 + random.nextInt((int) (60 + 600 * (1 - h))), ChronoUnit.MINUTES);
                    Instant resolved = opened.plus(2 + random.nextInt((int) (24 + 240 * (1 - h))), ChronoUnit.HOURS);
                    boolean open = resolved.isAfter(today.atStartOfDay().toInstant(ZoneOffset.UTC));
                    Integer csat = !open && random.nextDouble() < 0.4
                            ? Math.max(1, Math.min(5, (int) Math.round(1.5 + 3.8 * h + gaussian(0.7))))
                            : null;
                    tickets.add(new Ticket(
                            externalId + "-T" + (++n),
                            opened,
                            firstResponse,
                            open ? null : resolved,
                            TICKET_SUBJECTS[random.nextInt(TICKET_SUBJECTS.length)],
                            priority,
                            open ? "open" : "solved",
                            escalated,
                            csat));
                }
            }
            return tickets;
        }

        /** Quarterly invoices; an unhealthy customer pays later, and one that churns may never pay the last one. */
        private List<Invoice> invoices(List<Term> terms) {
            List<Invoice> invoices = new ArrayList<>();
            int n = 0;
            for (Term term : terms) {
                BigDecimal quarter = term.arr().divide(BigDecimal.valueOf(4), 2, RoundingMode.HALF_UP);
                for (int q = 0; q < 4; q++) {
                    LocalDate issued = term.start().plusMonths(3L * q);
                    if (issued.isBefore(windowStart.minusDays(60)) || issued.isAfter(today)) {
                        continue;
                    }
                    LocalDate due = issued.plusDays(30);
                    double h = healthOn(issued);
                    int late = random.nextDouble() < 0.1 + 0.7 * (1 - h) * (1 - h)
                            ? 5 + random.nextInt((int) (10 + 60 * (1 - h)))
                            : -random.nextInt(20);
                    LocalDate paid = due.plusDays(late);
                    String status = "paid";
                    if (paid.isAfter(today) || (churnedOn != null && paid.isAfter(churnedOn) && late > 20)) {
                        paid = null;
                        status = churnedOn != null && !today.isBefore(churnedOn) ? "uncollectible" : "open";
                    }
                    invoices.add(new Invoice(externalId + "-I" + (++n), issued, due, paid, quarter, status));
                }
            }
            return invoices;
        }

        private List<Meeting> meetings(List<Person> people) {
            List<Meeting> meetings = new ArrayList<>();
            int n = 0;
            String sponsor = people.get(1).name();
            String champion = people.get(0).name();
            if (!customerSince.isBefore(windowStart)) {
                meetings.add(new Meeting(
                        externalId + "-M" + (++n),
                        at(customerSince.plusDays(3), 15),
                        "kickoff",
                        "Kickoff",
                        List.of(champion, sponsor),
                        true));
            }
            boolean qbrs = !tier.equals("SMB") || random.nextDouble() < 0.2;
            for (LocalDate q = firstActiveDay().plusDays(45); !q.isAfter(lastActiveDay()); q = q.plusMonths(3)) {
                double h = healthOn(q);
                if (qbrs && random.nextDouble() < 0.35 + 0.65 * h) {
                    boolean sponsorThere = random.nextDouble() < 0.15 + 0.8 * h;
                    List<String> attendees = sponsorThere ? List.of(champion, sponsor) : List.of(champion);
                    meetings.add(new Meeting(
                            externalId + "-M" + (++n),
                            at(q.plusDays(random.nextInt(14)), 14),
                            "qbr",
                            "Quarterly business review",
                            attendees,
                            sponsorThere));
                }
                if (tier.equals("Enterprise") && random.nextDouble() < 0.5 + 0.4 * h) {
                    meetings.add(new Meeting(
                            externalId + "-M" + (++n),
                            at(q.plusDays(40), 16),
                            "check_in",
                            "Monthly check-in",
                            List.of(champion),
                            false));
                }
            }
            meetings.removeIf(m -> m.occurredAt().isAfter(today.atStartOfDay().toInstant(ZoneOffset.UTC)));
            return meetings;
        }

        private List<Survey> surveys(List<Person> people) {
            List<Survey> surveys = new ArrayList<>();
            int n = 0;
            LocalDate survey = windowStart.plusDays(20 + random.nextInt(30));
            for (; !survey.isAfter(today); survey = survey.plusMonths(6)) {
                if (!activeOn(survey)) {
                    continue;
                }
                double h = healthOn(survey);
                for (Person person : people) {
                    boolean present = !person.joinedOn().isAfter(survey)
                            && (person.leftOn() == null || person.leftOn().isAfter(survey));
                    if (present && random.nextDouble() < 0.35) {
                        int score = (int) Math.max(0, Math.min(10, Math.round(1 + 10 * h + gaussian(1.6))));
                        surveys.add(new Survey(
                                externalId + "-S" + (++n),
                                at(survey.plusDays(random.nextInt(10)), 11),
                                "nps",
                                score,
                                score >= 9 ? "Great product and support" : score <= 6 ? "Too hard to get value" : null,
                                person.email()));
                    }
                }
            }
            surveys.removeIf(s -> s.respondedAt().isAfter(today.atStartOfDay().toInstant(ZoneOffset.UTC)));
            return surveys;
        }

        private List<Note> notes() {
            List<Note> notes = new ArrayList<>();
            int n = 0;
            for (LocalDate month = firstActiveDay(); !month.isAfter(lastActiveDay()); month = month.plusMonths(1)) {
                double h = healthOn(month);
                if (random.nextDouble() < 0.25) {
                    String body = h > 0.65
                            ? "Customer is happy; exploring more use cases with the team."
                            : h > 0.4
                                    ? "Adoption is flat; scheduled enablement session."
                                    : "Engagement is dropping and the champion is hard to reach. Escalating internally.";
                    notes.add(new Note(externalId + "-N" + (++n), at(month.plusDays(random.nextInt(28)), 17), body));
                }
            }
            notes.removeIf(note -> note.writtenAt().isAfter(today.atStartOfDay().toInstant(ZoneOffset.UTC)));
            return notes;
        }

        private Churn churn(List<Term> terms) {
            BigDecimal arr = terms.get(terms.size() - 1).arr();
            String category;
            String reason;
            if (silentChurn && averageHealth(churnedOn.minusDays(90), churnedOn) > 0.5) {
                category = random.nextBoolean() ? "budget" : "competitor";
                reason = category.equals("budget")
                        ? "Acquired by a larger company; tooling consolidated"
                        : "Moved to a competitor bundled with their CRM";
            } else if (championLeftOn != null && championLeftOn.isAfter(churnedOn.minusDays(240))) {
                category = "champion_left";
                reason = "Our champion left and nobody picked up ownership";
            } else if (escalationsBeforeChurn >= 2) {
                category = "support";
                reason = "Repeated escalations eroded trust";
            } else {
                double r = random.nextDouble();
                category = r < 0.55 ? "product_fit" : r < 0.8 ? "competitor" : r < 0.95 ? "budget" : "other";
                reason = switch (category) {
                    case "product_fit" -> "Team never adopted the product beyond a few users";
                    case "competitor" -> "Chose a cheaper competitor at renewal";
                    case "budget" -> "Budget cuts";
                    default -> "No reason given";
                };
            }
            return new Churn(externalId + "-X", churnedOn, category, reason, arr);
        }

        private List<Usage> usage(List<Term> terms) {
            List<Usage> usage = new ArrayList<>();
            double[] thresholds = new double[KEY_FEATURES.length];
            for (int f = 0; f < KEY_FEATURES.length; f++) {
                thresholds[f] = 0.1 + f * 0.13 + gaussian(0.08);
            }
            int term = 0;
            for (LocalDate day = firstActiveDay();
                    !day.isAfter(lastActiveDay()) && day.isBefore(today);
                    day = day.plusDays(1)) {
                while (term < terms.size() - 1 && !day.isBefore(terms.get(term).end())) {
                    term++;
                }
                double h = healthOn(day);
                DayOfWeek dow = day.getDayOfWeek();
                double weekly = dow == DayOfWeek.SATURDAY ? 0.22 : dow == DayOfWeek.SUNDAY ? 0.12 : 1.0;
                int seats = terms.get(term).seats();
                double utilization = clamp(0.08 + 0.85 * h + gaussian(0.05));
                int active = (int) Math.round(seats * utilization * weekly * (1 + gaussian(0.08)));
                if (active <= 0) {
                    continue;
                }
                usage.add(new Usage(day, "active_users", active));
                usage.add(new Usage(day, "logins", (int) Math.round(active * (1.2 + 0.6 * h) * (1 + gaussian(0.1)))));
                for (int f = 0; f < KEY_FEATURES.length; f++) {
                    if (h > thresholds[f] && random.nextDouble() < 0.3 + 0.5 * h) {
                        int users = (int) Math.round(active * (0.5 - f * 0.08) * (0.5 + h) * (1 + gaussian(0.2)));
                        if (users > 0) {
                            usage.add(new Usage(day, KEY_FEATURES[f], users));
                        }
                    }
                }
            }
            return usage;
        }

        private String stage(List<Term> terms) {
            if (churnedOn != null) {
                return "churned";
            }
            LocalDate renewal = terms.get(terms.size() - 1).end();
            if (customerSince.isAfter(today.minusDays(90))) {
                return "onboarding";
            }
            if (renewal.isBefore(today.plusDays(90))) {
                return "renewal";
            }
            return customerSince.isAfter(today.minusDays(365)) ? "adoption" : "growth";
        }

        private Instant at(LocalDate day, int hour) {
            return day.atTime(hour, random.nextInt(60)).toInstant(ZoneOffset.UTC);
        }

        private int poisson(double lambda) {
            double l = Math.exp(-lambda);
            double p = 1;
            int k = 0;
            do {
                k++;
                p *= random.nextDouble();
            } while (p > l);
            return k - 1;
        }

        private double gaussian(double sd) {
            // Box-Muller from the account's own generator, so results do not depend on thread or order.
            double u = 1 - random.nextDouble();
            double v = random.nextDouble();
            return sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
        }
    }

    private static double clamp(double value) {
        return Math.max(0, Math.min(1, value));
    }
}
