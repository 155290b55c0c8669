package dev.steward.lifecycle;

import dev.steward.customer.OwnerTeams;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Tells the accounts list whom a manager manages: the members of the teams they lead in the assignment rules. */
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
}
