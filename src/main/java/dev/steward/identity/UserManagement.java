package dev.steward.identity;

import com.nulabinc.zxcvbn.Feedback;
import com.nulabinc.zxcvbn.Strength;
import com.nulabinc.zxcvbn.Zxcvbn;
import dev.steward.core.ConflictException;
import dev.steward.core.FieldError;
import dev.steward.core.Ids;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

    /** bcrypt reads no more. */
    static final int MAXIMUM_PASSWORD_BYTES = 72;

    /** zxcvbn's score (0 to 4) a password needs: 3 is "safely unguessable", about 10^10 guesses. */
    static final int MINIMUM_STRENGTH = 3;

    private static final Zxcvbn STRENGTH = new Zxcvbn();

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
        // A password an administrator chose is known to them: the user replaces it at the first sign-in.
        if (!users.insertIfAbsent(user, hash, hash != null)) {
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
        checkPassword("password", change.password(), errors, current.email(), changed.displayName());
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
            // Set by an administrator, so known to them: the user replaces it at the next sign-in.
            users.setPassword(id, passwords.encode(change.password()), true);
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
            checkPassword(
                    "newPassword",
                    newPassword,
                    errors,
                    credentials.user().email(),
                    credentials.user().displayName());
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

    /**
     * Gives an administrator a new one-time password when theirs was used to sign in and never replaced: without it
     * the first administrator of a fresh Steward, who signed out before choosing a password, could never sign in
     * again. Says whether it did.
     */
    @Transactional
    boolean renewUsedOneTimePassword(String email, String password) {
        Optional<Users.Credentials> credentials = users.credentials(email);
        if (credentials.isEmpty()
                || credentials.get().user().role() != Role.ADMIN
                || !credentials.get().user().mustChangePassword()
                || credentials.get().oneTimeUsedAt() == null) {
            return false;
        }
        users.setPassword(credentials.get().user().id(), passwords.encode(password), true);
        return true;
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
        checkPassword("password", input.password(), errors, email, displayName);
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

    /**
     * Refuses passwords that are short, longer than bcrypt reads (72 bytes), or easy to guess: common passwords,
     * words, names, dates, keyboard patterns and repeats, as zxcvbn estimates them (score 3 of 4 needed); the reason
     * says what was found and how to do better.
     */
    private static void checkPassword(String field, String password, List<FieldError> errors, String... userInputs) {
        if (password == null) {
            return;
        }
        if (password.length() < MINIMUM_PASSWORD_LENGTH) {
            errors.add(FieldError.of(field, "must have at least " + MINIMUM_PASSWORD_LENGTH + " characters"));
            return;
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAXIMUM_PASSWORD_BYTES) {
            errors.add(FieldError.of(field, "must have at most " + MAXIMUM_PASSWORD_BYTES + " bytes"));
            return;
        }
        List<String> inputs = new ArrayList<>();
        for (String input : userInputs) {
            if (input != null) {
                inputs.add(input);
                inputs.addAll(List.of(input.split("[^\\p{L}\\p{N}]+")));
            }
        }
        Strength strength = STRENGTH.measure(password, inputs);
        if (strength.getScore() < MINIMUM_STRENGTH) {
            Feedback feedback = strength.getFeedback();
            StringBuilder reason = new StringBuilder("is too easy to guess");
            String warning = feedback.getWarning();
            if (warning != null && !warning.isBlank()) {
                reason.append(": ").append(warning.replaceAll("\\.$", ""));
            }
            reason.append(". ");
            List<String> suggestions = feedback.getSuggestions();
            reason.append(suggestions.isEmpty() ? "Use a few uncommon words." : String.join(" ", suggestions));
            errors.add(FieldError.of(field, reason.toString().trim()));
        }
    }

    private static User asUser(SignedInUser user) {
        return new User(user.id(), user.email(), user.displayName(), user.role(), user.enabled());
    }
}
