package dev.steward.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class FirstAdministratorTests {

    /** Remembers the administrator it was asked to create, as a fresh database would. */
    static final class FakeUsers extends UserManagement {

        final boolean administratorExists;
        boolean oneTimePasswordUsed;
        String renewed;
        String email;
        String password;
        boolean mustChangePassword;

        FakeUsers(boolean administratorExists) {
            super(null, null, null);
            this.administratorExists = administratorExists;
        }

        @Override
        boolean createFirstAdministrator(String email, String password, boolean mustChangePassword) {
            if (administratorExists) {
                return false;
            }
            this.email = email;
            this.password = password;
            this.mustChangePassword = mustChangePassword;
            return true;
        }

        @Override
        boolean renewUsedOneTimePassword(String email, String password) {
            if (!oneTimePasswordUsed) {
                return false;
            }
            renewed = password;
            return true;
        }
    }

    @Test
    void withoutAConfiguredPasswordPrintsAOneTimePasswordInABox(CapturedOutput output) {
        FakeUsers users = new FakeUsers(false);
        new FirstAdministrator(users, "ops@example.com", "", "9090").run(null);

        assertThat(users.mustChangePassword).isTrue();
        assertThat(users.password).hasSizeGreaterThanOrEqualTo(UserManagement.MINIMUM_PASSWORD_LENGTH);
        assertThat(output.getOut())
                .contains("http://localhost:9090")
                .contains("ops@example.com")
                .contains(users.password)
                .contains("+------");
    }

    @Test
    void aConfiguredPasswordIsUsedAndNeverPrinted(CapturedOutput output) {
        FakeUsers users = new FakeUsers(false);
        new FirstAdministrator(users, "admin@steward.local", "configured secret", "8080").run(null);

        assertThat(users.password).isEqualTo("configured secret");
        assertThat(users.mustChangePassword).isFalse();
        assertThat(output.getAll()).doesNotContain("configured secret");
    }

    @Test
    void doesNothingWhenThereIsAnAdministrator(CapturedOutput output) {
        FakeUsers users = new FakeUsers(true);
        new FirstAdministrator(users, "admin@steward.local", "", "8080").run(null);

        assertThat(users.email).isNull();
        assertThat(output.getAll()).doesNotContain("first administrator");
    }

    @Test
    void aOneTimePasswordUsedButNeverReplacedIsRenewedAtTheNextStart(CapturedOutput output) {
        FakeUsers users = new FakeUsers(true);
        users.oneTimePasswordUsed = true;
        new FirstAdministrator(users, "admin@steward.local", "", "8080").run(null);

        assertThat(users.email).isNull();
        assertThat(users.renewed).hasSizeGreaterThanOrEqualTo(UserManagement.MINIMUM_PASSWORD_LENGTH);
        assertThat(output.getOut())
                .contains("used to sign in, but never replaced")
                .contains(users.renewed);
    }

    @Test
    void oneTimePasswordsDiffer() {
        assertThat(FirstAdministrator.oneTimePassword()).isNotEqualTo(FirstAdministrator.oneTimePassword());
    }
}
