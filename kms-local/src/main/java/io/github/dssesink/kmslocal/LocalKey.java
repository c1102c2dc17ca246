package io.github.dssesink.kmslocal;

import java.security.SecureRandom;
import java.time.Instant;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/** One KMS key in memory. Only the enabled flag changes after creation. */
final class LocalKey {

    static final int KEY_MATERIAL_SIZE_IN_BYTES = 32;

    private final String keyId;
    private final String arn;
    private final KeySpec keySpec;
    private final String keyUsage;
    private final String description;
    private final Instant creationDate;
    /** AES-256 key material, or null for every spec except SYMMETRIC_DEFAULT. */
    private final SecretKey material;
    private volatile boolean enabled = true;

    LocalKey(String keyId, String arn, KeySpec keySpec, String keyUsage, String description,
             Instant creationDate, SecureRandom random) {
        this.keyId = keyId;
        this.arn = arn;
        this.keySpec = keySpec;
        this.keyUsage = keyUsage;
        this.description = description;
        this.creationDate = creationDate;
        this.material = keySpec == KeySpec.SYMMETRIC_DEFAULT ? randomAesKey(random) : null;
    }

    private static SecretKey randomAesKey(SecureRandom random) {
        byte[] bytes = new byte[KEY_MATERIAL_SIZE_IN_BYTES];
        random.nextBytes(bytes);
        return new SecretKeySpec(bytes, "AES");
    }

    String keyId() {
        return keyId;
    }

    String arn() {
        return arn;
    }

    KeySpec keySpec() {
        return keySpec;
    }

    String keyUsage() {
        return keyUsage;
    }

    String description() {
        return description;
    }

    Instant creationDate() {
        return creationDate;
    }

    boolean isSymmetricEncryptionKey() {
        return material != null;
    }

    /** Returns the AES key material. Callers check {@link #isSymmetricEncryptionKey()} first. */
    SecretKey material() {
        if (material == null) {
            throw new IllegalStateException("Key " + arn + " of spec " + keySpec + " has no AES key material");
        }
        return material;
    }

    boolean isEnabled() {
        return enabled;
    }

    void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    LocalKeyMetadata metadata() {
        return new LocalKeyMetadata(keyId, arn, description, keySpec.name(), keyUsage, enabled, creationDate);
    }
}
