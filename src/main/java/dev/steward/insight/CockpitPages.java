package dev.steward.insight;

import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The cockpit page, and the home page that sends people who own accounts (CSMs and managers) to it and everyone else
 * to the accounts list.
 */
@Controller
class CockpitPages {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH);

    private final Cockpits cockpits;
    private final UserDirectory users;
    private final Clock clock;

    CockpitPages(Cockpits cockpits, UserDirectory users, Clock clock) {
        this.cockpits = cockpits;
        this.users = users;
        this.clock = clock;
    }

    /** An event with its time as the page writes it: the day of a color change, the day and time of the rest. */
    record EventView(String when, CockpitHistory.Event event) {}

    @GetMapping("/")
    String home(Authentication authentication) {
        User user = users.signedIn(authentication);
        boolean ownsAccounts = user.id() != null && (user.role() == Role.CSM || user.role() == Role.MANAGER);
        return ownsAccounts ? "redirect:/cockpit" : "redirect:/accounts";
    }

    @GetMapping("/cockpit")
    String cockpit(@RequestParam(required = false) UUID owner, Authentication authentication, Model model) {
        User viewer = users.signedIn(authentication);
        Cockpit cockpit = cockpits.of(viewer, owner);
        model.addAttribute("activeNav", "cockpit");
        model.addAttribute("cockpit", cockpit);
        model.addAttribute("owner", owner);
        // A manager may look at one person of their team at a time.
        List<Cockpit.Person> team = viewer.role() == Role.MANAGER && viewer.id() != null
                ? users.findAll(cockpits.team(viewer.id())).values().stream()
                        .sorted(java.util.Comparator.comparing(User::displayName))
                        .map(u -> new Cockpit.Person(u.id(), u.displayName(), u.email()))
                        .toList()
                : List.of();
        model.addAttribute("team", team.size() > 1 ? team : List.of());
        Map<UUID, String> ownerNames =
                cockpit.owners().stream().collect(Collectors.toMap(Cockpit.Person::id, Cockpit.Person::name));
        model.addAttribute("ownerNames", ownerNames);
        BigDecimal total = cockpit.arr();
        model.addAttribute(
                "atRiskShare",
                total.signum() == 0
                        ? 0
                        : cockpit.atRisk()
                                .total()
                                .multiply(BigDecimal.valueOf(100))
                                .divide(total, 0, java.math.RoundingMode.HALF_UP));
        return "insight/cockpit";
    }

    /** The trend and the week's events, which the cockpit page loads after it has shown the priorities. */
    @GetMapping("/cockpit/history")
    String history(@RequestParam(required = false) UUID owner, Authentication authentication, Model model) {
        CockpitHistory history = cockpits.history(users.signedIn(authentication), owner);
        model.addAttribute("history", history);
        model.addAttribute(
                "events",
                history.events().stream()
                        .map(e -> new EventView(
                                (e.kind().equals("color") ? DAY : TIME).format(e.at().atZone(clock.getZone())), e))
                        .toList());
        model.addAttribute(
                "trendDays",
                history.trend().stream().map(p -> p.day().toString()).collect(Collectors.joining(",")));
        for (String color : List.of("red", "yellow", "green", "black", "unscored")) {
            model.addAttribute(
                    "trend" + Character.toUpperCase(color.charAt(0)) + color.substring(1),
                    history.trend().stream()
                            .map(p -> p.colors().stream()
                                    .filter(c -> c.color().equals(color))
                                    .map(c -> c.accounts() + ":" + c.arr().setScale(0, java.math.RoundingMode.HALF_UP))
                                    .findFirst()
                                    .orElse("0:0"))
                            .collect(Collectors.joining(",")));
        }
        return "insight/cockpit-history :: history";
    }
}
