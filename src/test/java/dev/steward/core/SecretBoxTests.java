package dev.steward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials sealed at rest: AES-GCM under the configured key, or one made once in the data directory. */
class SecretBoxTests {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();

    @TempDir
    Path directory;

    @Test
    void aSealedValueOpensUnderItsKeyAndNeverShowsThePlainText() {
        SecretBox box = new SecretBox(KEY);
        String sealed = box.seal("hunter2-warehouse");
        assertThat(sealed).startsWith("gcm1:").doesNotContain("hunter2");
        assertThat(box.open(sealed)).isEqualTo("hunter2-warehouse");
        // a random nonce per value: the same password never seals the same way twice
        assertThat(box.seal("hunter2-warehouse")).isNotEqualTo(sealed);
    }

    @Test
    void aValueAlteredOrSealedUnderAnotherKeyIsRefusedNotMisread() {
        String sealed = new SecretBox(KEY).seal("hunter2");
        SecretBox other = new SecretBox("fedcba9876543210fedcba9876543210".getBytes());
        assertThatThrownBy(() -> other.open(sealed))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sealed under another steward.secrets.key")
                .hasMessageContaining("or altered");
        byte[] bytes = Base64.getDecoder().decode(sealed.substring("gcm1:".length()));
        bytes[bytes.length - 1] ^= 1;
        String altered = "gcm1:" + Base64.getEncoder().encodeToString(bytes);
        assertThatThrownBy(() -> new SecretBox(KEY).open(altered)).hasMessageContaining("or altered");
        assertThatThrownBy(() -> new SecretBox(KEY).open("hunter2")).hasMessageContaining("not in the gcm1 format");
    }

    @Test
    void withoutAConfiguredKeyOneIsMadeOnceInTheDataDirectoryForItsOwnerOnly() throws Exception {
        DatabaseProperties database = new DatabaseProperties(null, null, null, directory, null, null, null);
        SecretBox first = new SecretBox("", "", database);
        assertThat(Files.exists(directory.resolve(SecretBox.KEY_FILE)))
                .as("no key is made before a secret is stored")
                .isFalse();
        String sealed = first.seal("hunter2");
        Path file = directory.resolve(SecretBox.KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(new SecretBox("", "", database).open(sealed)).isEqualTo("hunter2");
        assertThatThrownBy(() -> new SecretBox("c2hvcnQ=", "", database).seal("x"))
                .hasMessageContaining("must be 32 bytes");
    }

    @Test
    void afterAKeyChangeValuesSealedUnderThePreviousKeyStillOpenAndAreToldApart() {
        byte[] next = "fedcba9876543210fedcba9876543210".getBytes();
        String old = new SecretBox(KEY).seal("hunter2");
        SecretBox rotated = new SecretBox(next, KEY);
        assertThat(rotated.open(old)).isEqualTo("hunter2");
        assertThat(rotated.isCurrent(old)).isFalse();
        String again = rotated.seal("hunter2");
        assertThat(rotated.isCurrent(again)).isTrue();
        assertThat(new SecretBox(next).open(again)).isEqualTo("hunter2");
        assertThat(SecretBox.isSealed("whsec_plain")).isFalse();
    }
}
