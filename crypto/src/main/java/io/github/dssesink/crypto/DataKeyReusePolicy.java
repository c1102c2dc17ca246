package io.github.dssesink.crypto;

import java.time.Duration;
import java.util.Objects;

/**
 * How long one pair of data keys may serve new objects before the encryptor requests a new pair from
 * the key service. Reuse trades KMS calls for exposure: every object still gets its own content keys
 * (random salt), but one leaked data key pair would open all objects it served. The default is a
 * fresh pair per object.
 *
 * @param maxObjects objects per data key pair, at least 1
 * @param maxBytes   plaintext bytes per data key pair; {@link Long#MAX_VALUE} for no limit
 * @param maxAge     age of a data key pair after which it is not used for new objects
 */
public record DataKeyReusePolicy(long maxObjects, long maxBytes, Duration maxAge) {
    public DataKeyReusePolicy {
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxObjects < 1) {
            throw new EnvelopeException(EnvelopeException.Reason.INVALID_ARGUMENT,
                    "Invalid data key reuse: max objects is " + maxObjects + ", it must be at least 1");
        }
        if (maxBytes < 1) {
            throw new EnvelopeException(EnvelopeException.Reason.INVALID_ARGUMENT,
                    "Invalid data key reuse: max bytes is " + maxBytes + ", it must be at least 1");
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new EnvelopeException(EnvelopeException.Reason.INVALID_ARGUMENT,
                    "Invalid data key reuse: max age is " + maxAge + ", it must be positive");
        }
    }

    /** Returns the default: a fresh data key pair for every object. */
    public static DataKeyReusePolicy perObject() {
        return new DataKeyReusePolicy(1, Long.MAX_VALUE, Duration.ofDays(36500));
    }

    public boolean reusesKeys() {
        return maxObjects > 1;
    }
}
