package io.github.dssesink.kmslocal;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The key and encryption context of the request being served, filled in by the operation as soon
 * as it has read or resolved them, so that a failed call is recorded with them too. Used by one
 * thread.
 */
final class CallTrace {

    private final String operation;
    private String keyArn;
    private SortedMap<String, String> encryptionContext = Collections.emptySortedMap();

    CallTrace(String operation) {
        this.operation = operation;
    }

    String operation() {
        return operation;
    }

    String keyArn() {
        return keyArn;
    }

    void key(LocalKey key) {
        this.keyArn = key.arn();
    }

    void encryptionContext(SortedMap<String, String> encryptionContext) {
        this.encryptionContext = Collections.unmodifiableSortedMap(new TreeMap<>(encryptionContext));
    }

    KmsCall toCall(String errorType) {
        return new KmsCall(operation, keyArn, encryptionContext, errorType);
    }
}
