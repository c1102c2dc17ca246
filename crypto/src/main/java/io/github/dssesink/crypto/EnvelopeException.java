package io.github.dssesink.crypto;

import java.util.Objects;

/**
 * The one exception type that encryption, decryption and key operations raise. The {@link Reason}
 * names what failed, and the message names the value (frame index, key ID, version) and never contains
 * key material.
 */
public class EnvelopeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What failed. */
    public enum Reason {
        /** The header is malformed or failed authentication. */
        HEADER,
        /** The format version or suite is not one this library reads. */
        UNSUPPORTED_VERSION,
        /** A frame failed authentication. */
        FRAME,
        /** The object ends before its final frame. */
        TRUNCATED,
        /** A data key decrypted, but its commitment does not match the header. */
        COMMITMENT,
        /** The key block is malformed or names a key provider that is not configured. */
        KEY_BLOCK,
        /** The key ID is not on the decrypt allow-list. */
        KEY_NOT_ALLOWED,
        /** The key service could not decrypt the data key: wrong key or wrong encryption context. */
        WRONG_KEY_OR_CONTEXT,
        /** The object's encryption context lacks a pair the caller requires. */
        CONTEXT_MISMATCH,
        /** The KMS key does not exist. */
        KEY_NOT_FOUND,
        /** The KMS key is disabled or pending deletion. */
        KEY_DISABLED,
        /** The caller lacks permission for the KMS operation. */
        ACCESS_DENIED,
        /** The KMS key cannot be used for symmetric encryption. */
        INVALID_KEY_USAGE,
        /** The key service failed or could not be reached; a retry may succeed. */
        KEY_SERVICE_UNAVAILABLE,
        /** The caller passed an invalid argument or used a stream in the wrong state. */
        INVALID_ARGUMENT,
        /** The underlying stream failed. */
        IO
    }

    private final Reason reason;

    public EnvelopeException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public EnvelopeException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    /** Returns true where retrying the same call may succeed (the key service was unreachable). */
    public boolean isRetriable() {
        return reason == Reason.KEY_SERVICE_UNAVAILABLE;
    }
}
