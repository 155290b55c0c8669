package dev.steward.ingest.sync;

import dev.steward.core.DatabaseProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.crypto.encrypt.AesBytesEncryptor;
import org.springframework.security.crypto.encrypt.BytesEncryptor;
import org.springframework.security.crypto.keygen.KeyGenerators;
import org.springframework.stereotype.Component;

/**
 * Encrypts the credentials of connected sources at rest: AES-256-GCM (Spring Security's {@link AesBytesEncryptor},
 * a random 16-byte nonce per value, the tag checked on reading) under the key of {@code steward.secrets.key} (32
 * bytes, Base64). Without one, Steward makes a key once and keeps it in {@code secret-key} in its data directory
 * (readable by its owner only): enough for one instance; several instances sharing a database must all be given the
 * same key. A stored value reads {@code gcm1:} and the Base64 of nonce, ciphertext and tag.
 */
@Component
public class SecretBox {

    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);
    private static final String PREFIX = "gcm1:";
    static final String KEY_FILE = "secret-key";

    private final java.util.function.Supplier<byte[]> key;
    private volatile BytesEncryptor encryptor;

    /** The key is read (or made) when a secret is first sealed or opened, never at start. */
    @Autowired
    SecretBox(@Value("${steward.secrets.key:}") String configured, DatabaseProperties database) {
        this.key = () -> keyFrom(configured, database);
    }

    SecretBox(byte[] key) {
        this.key = () -> key;
    }

    private BytesEncryptor encryptor() {
        BytesEncryptor current = encryptor;
        if (current == null) {
            synchronized (this) {
                if (encryptor == null) {
                    byte[] bytes = key.get();
                    if (bytes.length != 32) {
                        throw new IllegalStateException("steward.secrets.key must be 32 bytes in Base64 (44"
                                + " characters), e.g. from `openssl rand -base64 32`; it has " + bytes.length
                                + " bytes");
                    }
                    encryptor = new AesBytesEncryptor(
                            new SecretKeySpec(bytes, "AES"),
                            KeyGenerators.secureRandom(16),
                            AesBytesEncryptor.CipherAlgorithm.GCM);
                }
                current = encryptor;
            }
        }
        return current;
    }

    /** The value encrypted, for storing. */
    public String seal(String plain) {
        return PREFIX + Base64.getEncoder().encodeToString(encryptor().encrypt(plain.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The stored value decrypted; a value that was altered, or sealed under another key, is refused with a message
     * saying so (never a wrong plain text).
     */
    public String open(String sealed) {
        if (!sealed.startsWith(PREFIX)) {
            throw new IllegalStateException("a stored secret is not in the gcm1 format");
        }
        try {
            return new String(
                    encryptor().decrypt(Base64.getDecoder().decode(sealed.substring(PREFIX.length()))),
                    StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "a stored secret cannot be decrypted: it was sealed under another steward.secrets.key, or altered."
                            + " Give the connection its credentials again",
                    e);
        }
    }

    private static byte[] keyFrom(String configured, DatabaseProperties database) {
        if (configured != null && !configured.isBlank()) {
            try {
                return Base64.getDecoder().decode(configured.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("steward.secrets.key is not Base64: " + e.getMessage());
            }
        }
        Path file = database.dataDir().toAbsolutePath().resolve(KEY_FILE);
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                Files.createDirectories(file.getParent());
                Path temporary = Files.createTempFile(file.getParent(), KEY_FILE, ".new");
                restrict(temporary);
                Files.writeString(temporary, Base64.getEncoder().encodeToString(key));
                try {
                    Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    Files.deleteIfExists(temporary);
                    if (!Files.exists(file)) {
                        throw e;
                    }
                }
                log.info(
                        "Made the key that encrypts connections' credentials: {} (set steward.secrets.key to share one"
                                + " key between instances)",
                        file);
            }
            return Base64.getDecoder().decode(Files.readString(file).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the secrets key " + file, e);
        }
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): the file inherits the data directory's permissions.
        }
    }
}
