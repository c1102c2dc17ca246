package io.github.dssesink.crypto;

import java.util.Map;

/**
 * A key service that creates and unwraps data keys under master keys (KMS keys or keyring keys).
 * Implementations are thread-safe. Every failure is an {@link EnvelopeException} whose reason names
 * what failed (key not found, disabled, access denied, wrong key or context, unavailable).
 */
public interface KeyProvider {

    KeyProviderId id();

    /**
     * Creates a new 256-bit data key under {@code keyId}, bound to {@code encryptionContext}. The
     * returned key ID is the canonical one (the key ARN for AWS KMS), which the key block records.
     */
    DataKey generateDataKey(String keyId, Map<String, String> encryptionContext);

    /**
     * Unwraps a data key. The call is pinned to {@code keyId}: a wrapped key made under another key
     * fails with {@link EnvelopeException.Reason#WRONG_KEY_OR_CONTEXT}.
     */
    byte[] decryptDataKey(String keyId, byte[] wrappedDataKey, Map<String, String> encryptionContext);

    /**
     * Re-wraps a data key under {@code destinationKeyId} without exposing it to the caller (KMS
     * ReEncrypt). The encryption context stays the same.
     */
    WrappedDataKey reEncrypt(String sourceKeyId, byte[] wrappedDataKey, Map<String, String> encryptionContext,
                             String destinationKeyId);

    /** Describes a key: its canonical ID, whether it is enabled and whether it is a symmetric encryption key. */
    KeyDescription describeKey(String keyId);

    /** Returns the number of calls made to the key service since this provider was created. */
    long callCount();

    /** A plaintext data key and its wrapped form. The caller wipes {@link #plaintext()} when done. */
    record DataKey(byte[] plaintext, byte[] wrapped, String keyId) {
    }

    /** A wrapped data key and the canonical ID of the key that wrapped it. */
    record WrappedDataKey(byte[] wrapped, String keyId) {
    }

    /** The key facts that a preflight check reads: canonical ID, ARN, state and usage. */
    record KeyDescription(String keyId, String arn, boolean enabled, boolean symmetricEncryptDecrypt, String state) {
    }
}
