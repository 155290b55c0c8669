package dev.steward.customer;

import dev.steward.core.BookScope;
import dev.steward.core.OutsideBookException;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Who may change which accounts: their book. An ADMIN changes every account; a MANAGER the accounts their team owns
 * (their own and those of the people they manage in the books of business) and accounts without an owner, or every
 * account while no team is defined; a CSM the accounts they own, or their team's when {@code steward.books.csm-scope}
 * is {@code team}; a VIEWER none. An API key acts as its user, never above them. Work no person asked for (a
 * scheduled job, an import running, a source's own events) is not limited.
 *
 * <p>Applied where accounts and what belongs to them are changed: the account and its contracts, contacts and
 * opportunities in their services, everything under an account's own address ({@code /api/v1/accounts/{id}/…},
 * {@code /accounts/{id}/…}) before the request is read (see {@link BookWrites}), CTAs, owners and stages in their
 * modules, and requests that cross books as a whole (bulk loads, imports) through {@link BookScope}.
 */
@Component
public class AccountPermissions implements BookScope {

    /** What the current person may change. */
    public record Book(
            boolean everything,
            Set<UUID> owners,
            boolean unowned,
            String role,
            @Nullable String reason) {

        static Book whole() {
            return new Book(true, Set.of(), true, "ADMIN", null);
        }

        /** Whether an account with this owner ({@code null}: none) is in the book. */
        public boolean covers(@Nullable UUID owner) {
            return everything || (owner == null ? unowned : owners.contains(owner));
        }
    }

    private final JdbcClient jdbc;
    private final UserDirectory users;
    private final ObjectProvider<OwnerTeams> teams;
    private final boolean csmTeam;

    AccountPermissions(
            JdbcClient jdbc,
            UserDirectory users,
            ObjectProvider<OwnerTeams> teams,
            @Value("${steward.books.csm-scope:own}") String csmScope) {
        this.jdbc = jdbc;
        this.users = users;
        this.teams = teams;
        if (!csmScope.equals("own") && !csmScope.equals("team")) {
            throw new IllegalStateException(
                    "steward.books.csm-scope is '" + csmScope + "': it is 'own' (a CSM changes the accounts they own,"
                            + " the default) or 'team' (also their team's)");
        }
        this.csmTeam = csmScope.equals("team");
    }

    /** The book of the person making the current request. */
    public Book current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null
                || authentication instanceof AnonymousAuthenticationToken
                || !authentication.isAuthenticated()) {
            return Book.whole();
        }
        String role = role(authentication);
        if (role == null || role.equals("ADMIN")) {
            return Book.whole();
        }
        if (role.equals("VIEWER")) {
            return new Book(false, Set.of(), false, role, "Your role VIEWER can read but not change data");
        }
        Optional<UUID> me = users.signedInId(authentication);
        OwnerTeams kept = teams.getIfAvailable();
        if (role.equals("MANAGER")) {
            if (kept == null || !kept.defined()) {
                return Book.whole();
            }
            return new Book(false, me.map(id -> Set.copyOf(kept.team(id))).orElse(Set.of()), true, role, null);
        }
        Set<UUID> owners = me.map(id -> csmTeam && kept != null ? Set.copyOf(kept.teammates(id)) : Set.of(id))
                .orElse(Set.of());
        return new Book(false, owners, false, role, null);
    }

    /** Whether the current person may change an account with this owner; pages ask it to offer or hide a change. */
    public boolean mayChange(@Nullable UUID owner) {
        return current().covers(owner);
    }

    /** Whether the current person may change this account (an account that does not exist: no). */
    public boolean mayChange(AccountId account) {
        Book book = current();
        return book.everything()
                || owned(List.of(account.value())).stream().anyMatch(owned -> book.covers(owned.owner()));
    }

    /**
     * Refuses unless the current person may change this account; an account that does not exist passes, for the
     * request to be answered "not found" where it is looked up.
     */
    public void checkChange(AccountId account) {
        Book book = current();
        if (book.everything()) {
            return;
        }
        Optional<Owned> owned = owned(List.of(account.value())).stream().findFirst();
        if (owned.isPresent() && !book.covers(owned.get().owner())) {
            throw refusal(book, owned.get());
        }
    }

    /** Refuses unless the current person may change every one of these accounts (naming the first they may not). */
    public void checkChange(Collection<UUID> accounts) {
        Book book = current();
        if (book.everything() || accounts.isEmpty()) {
            return;
        }
        for (Owned owned : owned(accounts)) {
            if (!book.covers(owned.owner())) {
                throw refusal(book, owned);
            }
        }
    }

    /**
     * Refuses unless the current person may give an account to {@code owner} ({@code null}: leave it without one):
     * a CSM keeps accounts in their book, a manager within their team.
     */
    public void checkNewOwner(@Nullable UUID account, @Nullable UUID owner) {
        checkNewOwner(current(), account, owner);
    }

    /** {@link #checkNewOwner} for many accounts (each key) and their new owners, the book read once. */
    public void checkNewOwners(List<Map.Entry<UUID, UUID>> moves) {
        Book book = current();
        moves.forEach(move -> checkNewOwner(book, move.getKey(), move.getValue()));
    }

    private void checkNewOwner(Book book, @Nullable UUID account, @Nullable UUID owner) {
        if (book.covers(owner)) {
            return;
        }
        if (book.reason() != null) {
            throw new OutsideBookException(account, book.reason());
        }
        String whom =
                owner == null ? "nobody" : users.find(owner).map(User::email).orElse(owner.toString());
        throw new OutsideBookException(
                account,
                "Your role " + book.role() + " may not give an account to " + whom + ": " + scopeSentence(book));
    }

    /**
     * The owner of an account the current person creates: the one they name, or, when they name nobody and may not
     * leave an account without an owner (a CSM), themselves.
     */
    public @Nullable UUID ownerOfNew(@Nullable UUID named) {
        if (named != null) {
            return named;
        }
        Book book = current();
        if (book.covers(null)) {
            return null;
        }
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return users.signedInId(authentication).orElse(null);
    }

    @Override
    public void requireEveryBook(String what) {
        Book book = current();
        if (!book.everything()) {
            throw new OutsideBookException(
                    null,
                    book.reason() != null
                            ? book.reason()
                            : what + " may change accounts of every book, which your role " + book.role()
                                    + " may not: " + scopeSentence(book)
                                    + " (an administrator loads data for everyone)");
        }
    }

    private OutsideBookException refusal(Book book, Owned owned) {
        if (book.reason() != null) {
            return new OutsideBookException(owned.id(), book.reason());
        }
        String whose = owned.owner() == null
                ? "has no owner"
                : "is in " + users.find(owned.owner()).map(User::email).orElse("another person") + "'s book";
        return new OutsideBookException(
                owned.id(),
                "Account '" + owned.name() + "' " + whose + "; your role " + book.role() + " " + scopeSentence(book));
    }

    private String scopeSentence(Book book) {
        if (book.role().equals("MANAGER")) {
            return "may change the accounts of your team and accounts without an owner";
        }
        return csmTeam ? "may change the accounts your team owns" : "may change the accounts you own";
    }

    private record Owned(UUID id, String name, @Nullable UUID owner) {}

    private List<Owned> owned(Collection<UUID> accounts) {
        return jdbc.sql("select id, name, owner_id from account where id = any(?)")
                .param(new SqlArrayValue("uuid", accounts.toArray()))
                .query((rs, n) -> new Owned(
                        rs.getObject("id", UUID.class), rs.getString("name"), rs.getObject("owner_id", UUID.class)))
                .list();
    }

    private static @Nullable String role(Authentication authentication) {
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            String name = authority.getAuthority();
            if (name != null && name.startsWith("ROLE_")) {
                return name.substring(5);
            }
        }
        return null;
    }
}
