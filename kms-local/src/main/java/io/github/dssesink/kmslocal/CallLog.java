package io.github.dssesink.kmslocal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The calls a server received: the most recent ones in full, and a count per operation. Thread-safe. */
final class CallLog {

    /** The number of calls kept in full; older ones are dropped, but the counts stay exact. */
    static final int MAX_RECORDED_CALLS = 100_000;

    private final Deque<KmsCall> recentCalls = new ArrayDeque<>();
    private final Map<String, Long> countsByOperation = new HashMap<>();

    synchronized void add(KmsCall call) {
        if (recentCalls.size() == MAX_RECORDED_CALLS) {
            recentCalls.removeFirst();
        }
        recentCalls.addLast(call);
        countsByOperation.merge(call.operation(), 1L, Long::sum);
    }

    synchronized List<KmsCall> calls() {
        return List.copyOf(recentCalls);
    }

    synchronized long count(String operation) {
        return countsByOperation.getOrDefault(operation, 0L);
    }

    synchronized void clear() {
        recentCalls.clear();
        countsByOperation.clear();
    }
}
