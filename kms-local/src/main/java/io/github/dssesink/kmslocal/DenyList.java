package io.github.dssesink.kmslocal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Operations denied per key, to simulate a missing IAM permission. A denied call gets
 * AccessDeniedException. Thread-safe.
 */
final class DenyList {

    /** The key ARN of a denial that applies to every key, and to operations that name no key. */
    static final String ANY_KEY = "*";

    private final Set<Denial> denials = ConcurrentHashMap.newKeySet();

    void deny(String operation, String keyArn) {
        denials.add(new Denial(operation, keyArn));
    }

    void clear() {
        denials.clear();
    }

    /**
     * Raises AccessDeniedException if the operation is denied on this key or on every key.
     *
     * @param keyArn the key ARN, or null for an operation that names no key
     */
    void check(String operation, String keyArn) {
        boolean denied = denials.contains(new Denial(operation, ANY_KEY))
                || (keyArn != null && denials.contains(new Denial(operation, keyArn)));
        if (denied) {
            String resource = keyArn == null ? "" : " on resource " + keyArn;
            throw KmsServiceException.accessDenied("The caller is not authorized to perform kms:" + operation
                    + resource + " (denied by LocalKmsServer.denyOperation)");
        }
    }

    private record Denial(String operation, String keyArn) {
    }
}
