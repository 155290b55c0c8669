package dev.steward.identity;

import dev.steward.core.ConflictException;
import dev.steward.core.FieldError;
import dev.steward.core.Ids;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates users, changes their role and status, and sets passwords; the identity module's API for managing users. */
@Service
public class UserManagement {

    /** Shorter passwords are refused: length is what makes a password hard to guess. */
    public static final int MINIMUM_PASSWORD_LENGTH = 12;

    /** The longest email address that can be delivered (RFC 5321 path limit). */
    static final int MAXIMUM_EMAIL_LENGTH = 254;

    static final int MAXIMUM_NAME_LENGTH = 200;

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

    private final Users users;
    private final PasswordEncoder passwords;
    private final Sessions sessions;

    UserManagement(Users users, PasswordEncoder passwords, Sessions sessions) {
        this.users = users;
        this.passwords = passwords;
        this.sessions = sessions;
    }

    /**
     * The user with this email, created with the given name and role if there is none. Such a user has no password
     * and cannot sign in until an administrator sets one.
     */
    public User createIfAbsent(String email, String displayName, Role role) {
        return createIfAbsent(email, displayName, role, null);
    }

    /** Like {@link #createIfAbsent(String, String, Role)}, with a password the user signs in with (may be null). */
    @Transactional
    public User createIfAbsent(String email, String displayName, Role role, String password) {
        User user = validated(new NewUser(email, displayName, role, password));
        users.insertIfAbsent(user, password == null ? null : passwords.encode(password), false);
        return users.signedIn(user.email()).map(UserManagement::asUser).orElseThrow();
    }

    public List<User> list() {
        return users.list();
    }

    /** Creates a user; refuses an email that is already taken. */
    @Transactional
    public User create(NewUser input) {
        User user = validated(input);
        String hash = input.password() == null ? null : passwords.encode(input.password());
        if (!users.insertIfAbsent(user, hash, false)) {
            throw ConflictException.of("A user with email " + user.email() + " already exists");
        }
        return user;
    }

    /**
     * Changes what is given of a user's name, role, enabled status and password. Refuses to leave Steward without an
     * enabled administrator, since nobody could then manage users.
     */
    @Transactional
    public User change(UUID id, UserChange change) {
        User current =
                users.credentials(id).map(c -> asUser(c.user())).orElseThrow(() -> new NotFoundException("user", id));
        User changed = new User(
                id,
                current.email(),
                change.displayName() == null
                        ? current.displayName()
                        : change.displayName().trim(),
                change.role() == null ? current.role() : change.role(),
                change.enabled() == null ? current.enabled() : change.enabled());
        List<FieldError> errors = new ArrayList<>();
        checkDisplayName(changed.displayName(), errors);
        checkPassword("password", change.password(), errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        boolean stopsBeingAdmin = current.role() == Role.ADMIN
                && current.enabled()
                && (changed.role() != Role.ADMIN || !changed.enabled());
        if (stopsBeingAdmin && users.enabledAdministratorsOtherThan(id) == 0) {
            throw ConflictException.of(
                    current.email() + " is the only enabled administrator; make someone else an administrator first");
        }
        users.update(changed);
        if (change.password() != null) {
            users.setPassword(id, passwords.encode(change.password()), false);
        }
        // What a session may do was decided at sign-in: a user who may now do less signs in again.
        if (changed.role() != current.role() || !changed.enabled() || change.password() != null) {
            sessions.endAll(current.email());
        }
        return changed;
    }

    /**
     * Sets a user's own new password after checking their current one, and ends their other sessions (someone who
     * knew the old password may be using one).
     */
    @Transactional
    void changeOwnPassword(UUID id, String currentPassword, String newPassword, String currentSession) {
        Users.Credentials credentials = users.credentials(id).orElseThrow(() -> new NotFoundException("user", id));
        List<FieldError> errors = new ArrayList<>();
        if (credentials.passwordHash() == null
                || currentPassword == null
                || !passwords.matches(currentPassword, credentials.passwordHash())) {
            errors.add(FieldError.of("currentPassword", "is not your current password"));
        }
        if (newPassword == null) {
            errors.add(FieldError.of("newPassword", "is required"));
        } else {
            checkPassword("newPassword", newPassword, errors);
            if (currentPassword != null && currentPassword.equals(newPassword)) {
                errors.add(FieldError.of("newPassword", "must differ from the current password"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        users.setPassword(id, passwords.encode(newPassword), false);
        sessions.endAllBut(credentials.user().email(), currentSession);
    }

    /** Creates the first administrator unless there is one; says whether it did. */
    @Transactional
    boolean createFirstAdministrator(String email, String password, boolean mustChangePassword) {
        if (users.anyAdministrator()) {
            return false;
        }
        User admin = validated(new NewUser(email, "Administrator", Role.ADMIN, password));
        return users.insertIfAbsent(admin, passwords.encode(password), mustChangePassword);
    }

    private static User validated(NewUser input) {
        List<FieldError> errors = new ArrayList<>();
        String email = input.email() == null ? "" : input.email().trim();
        String displayName =
                input.displayName() == null ? "" : input.displayName().trim();
        if (email.length() > MAXIMUM_EMAIL_LENGTH) {
            errors.add(FieldError.of(
                    "email",
                    "has " + email.length() + " characters; an email address has at most " + MAXIMUM_EMAIL_LENGTH));
        } else if (!EMAIL.matcher(email).matches()) {
            errors.add(FieldError.of("email", "'" + email + "' is not an email address"));
        }
        checkDisplayName(displayName, errors);
        if (input.role() == null) {
            errors.add(FieldError.of("role", "is required (one of ADMIN, MANAGER, CSM, VIEWER)"));
        }
        checkPassword("password", input.password(), errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new User(Ids.newId(), email, displayName, input.role(), true);
    }

    private static void checkDisplayName(String displayName, List<FieldError> errors) {
        if (displayName.isEmpty()) {
            errors.add(FieldError.of("displayName", "must not be blank"));
        } else if (displayName.length() > MAXIMUM_NAME_LENGTH) {
            errors.add(FieldError.of(
                    "displayName",
                    "has " + displayName.length() + " characters; at most " + MAXIMUM_NAME_LENGTH + " are allowed"));
        }
    }

    private static void checkPassword(String field, String password, List<FieldError> errors) {
        if (password != null && password.length() < MINIMUM_PASSWORD_LENGTH) {
            errors.add(FieldError.of(field, "must have at least " + MINIMUM_PASSWORD_LENGTH + " characters"));
        }
    }

    private static User asUser(SignedInUser user) {
        return new User(user.id(), user.email(), user.displayName(), user.role(), user.enabled());
    }
}
