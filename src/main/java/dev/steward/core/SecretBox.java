package dev.steward.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
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
 * Encrypts secrets at rest (connections' credentials, Stripe's keys and signing secrets): AES-256-GCM (Spring
 * Security's {@link AesBytesEncryptor}, a random 16-byte nonce per value, the tag checked on reading) under the key of
 * {@code steward.secrets.key} (32 bytes, Base64). Without one, Steward makes a key once and keeps it in {@code
 * secret-key} in its data directory (readable by its owner only): enough for one instance; several instances sharing
 * a database must all be given the same key. A stored value reads {@code gcm1:} and the Base64 of nonce, ciphertext
 * and tag.
 *
 * <p>To change the key, give the new one as {@code steward.secrets.key} and the old one in {@code
 * steward.secrets.previous-keys} (comma-separated): values sealed under an old key still open, and {@link
 * SecretRotation} seals every stored value again under the new key at start.
 */
@Component
public class SecretBox {

    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);
    private static final String PREFIX = "gcm1:";
    static final String KEY_FILE = "secret-key";

    private final Supplier<byte[]> key;
    private final Supplier<List<byte[]>> previous;
    private volatile List<BytesEncryptor> encryptors;

    /** The key is read (or made) when a secret is first sealed or opened, never at start. */
    @Autowired
    SecretBox(
            @Value("${steward.secrets.key:}") String configured,
            @Value("${steward.secrets.previous-keys:}") String previousKeys,
            DatabaseProperties database) {
        this.key = () -> keyFrom(configured, database);
        this.previous = () -> Arrays.stream(previousKeys.split(","))
                .map(String::strip)
                .filter(k -> !k.isEmpty())
                .map(k -> decode(k, "steward.secrets.previous-keys"))
                .toList();
    }

    SecretBox(byte[] key, byte[]... previous) {
        this.key = () -> key;
        this.previous = () -> List.of(previous);
    }

    /** The current key's encryptor first, then the previous keys'. */
    private List<BytesEncryptor> encryptors() {
        List<BytesEncryptor> current = encryptors;
        if (current == null) {
            synchronized (this) {
                if (encryptors == null) {
                    List<BytesEncryptor> all = new ArrayList<>();
                    all.add(encryptor(key.get(), "steward.secrets.key"));
                    previous.get().forEach(k -> all.add(encryptor(k, "steward.secrets.previous-keys")));
                    encryptors = List.copyOf(all);
                }
                current = encryptors;
            }
        }
        return current;
    }

    private static BytesEncryptor encryptor(byte[] bytes, String property) {
        if (bytes.length != 32) {
            throw new IllegalStateException(property + " must be 32 bytes in Base64 (44 characters), e.g. from"
                    + " `openssl rand -base64 32`; one has " + bytes.length + " bytes");
        }
        return new AesBytesEncryptor(
                new SecretKeySpec(bytes, "AES"), KeyGenerators.secureRandom(16), AesBytesEncryptor.CipherAlgorithm.GCM);
    }

    /** The value encrypted under the current key, for storing. */
    public String seal(String plain) {
        return PREFIX
                + Base64.getEncoder()
                        .encodeToString(encryptors().get(0).encrypt(plain.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether a stored value is sealed at all (values stored before sealing began are plain). */
    public static boolean isSealed(String stored) {
        return stored.startsWith(PREFIX);
    }

    /** Whether a stored value is sealed under the current key (else it is plain, or under a previous key). */
    public boolean isCurrent(String stored) {
        if (!isSealed(stored)) {
            return false;
        }
        try {
            encryptors().get(0).decrypt(Base64.getDecoder().decode(stored.substring(PREFIX.length())));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The stored value decrypted, under the current key or a previous one; a value that was altered, or sealed under
     * a key Steward no longer has, is refused with a message saying so (never a wrong plain text).
     */
    public String open(String sealed) {
        if (!isSealed(sealed)) {
            throw new IllegalStateException("a stored secret is not in the gcm1 format");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("a stored secret is not valid Base64", e);
        }
        for (BytesEncryptor encryptor : encryptors()) {
            try {
                return new String(encryptor.decrypt(bytes), StandardCharsets.UTF_8);
            } catch (RuntimeException e) {
                // not this key: try the next
            }
        }
        throw new IllegalStateException("a stored secret cannot be decrypted: it was sealed under another"
                + " steward.secrets.key (give the old key in steward.secrets.previous-keys), or altered. Give the"
                + " connection its credentials again");
    }

    private static byte[] decode(String key, String property) {
        try {
            return Base64.getDecoder().decode(key.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(property + " is not Base64: " + e.getMessage());
        }
    }

    private static byte[] keyFrom(String configured, DatabaseProperties database) {
        if (configured != null && !configured.isBlank()) {
            return decode(configured, "steward.secrets.key");
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
