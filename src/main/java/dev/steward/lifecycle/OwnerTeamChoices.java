package dev.steward.lifecycle;

import dev.steward.customer.OwnerTeams;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Tells the accounts list and book permissions whom a manager manages and who works in one team: the members of the
 * teams in the assignment rules in force.
 */
@Component
class OwnerTeamChoices implements OwnerTeams {

    private final BooksOfBusiness books;

    OwnerTeamChoices(BooksOfBusiness books) {
        this.books = books;
    }

    @Override
    public List<UUID> team(UUID manager) {
        List<UUID> team = new ArrayList<>();
        team.add(manager);
        books.managers().forEach((member, theirs) -> {
            if (theirs.equals(manager) && !member.equals(manager)) {
                team.add(member);
            }
        });
        return team;
    }

    @Override
    public boolean defined() {
        return !books.managers().isEmpty();
    }

    @Override
    public List<UUID> teammates(UUID member) {
        Map<UUID, UUID> managers = books.managers();
        UUID manager = managers.get(member);
        if (manager == null) {
            return List.of(member);
        }
        List<UUID> team = new ArrayList<>();
        managers.forEach((person, theirs) -> {
            if (theirs.equals(manager)) {
                team.add(person);
            }
        });
        return team;
    }
}
