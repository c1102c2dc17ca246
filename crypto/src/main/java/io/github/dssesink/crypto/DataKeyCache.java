package io.github.dssesink.crypto;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Supplier;

/**
 * Data key pairs kept for reuse across objects under a {@link DataKeyReusePolicy}, one pair per
 * encryption context. Thread-safe. Evicted pairs are wiped; streams already opened keep their own
 * derived content keys and are not affected.
 */
final class DataKeyCache {
    private static final int MAX_CONTEXTS = 1024;

    /** A data key pair and its wrapped form, with usage counters. */
    static final class Entry {
        final byte[] layer1DataKey;
        final byte[] layer2DataKey;
        final KeyBlock keyBlock;
        final Instant created;
        long objects;
        long bytes;

        Entry(byte[] layer1DataKey, byte[] layer2DataKey, KeyBlock keyBlock, Instant created) {
            this.layer1DataKey = layer1DataKey;
            this.layer2DataKey = layer2DataKey;
            this.keyBlock = keyBlock;
            this.created = created;
        }

        void wipe() {
            Arrays.fill(layer1DataKey, (byte) 0);
            Arrays.fill(layer2DataKey, (byte) 0);
        }
    }

    private final DataKeyReusePolicy policy;
    private final Clock clock;
    private final Map<SortedMap<String, String>, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

    DataKeyCache(DataKeyReusePolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    /** Copies of one pair's data keys, for one object; the caller wipes them. */
    record Lease(Entry entry, byte[] layer1DataKey, byte[] layer2DataKey, KeyBlock keyBlock) {
        void wipe() {
            Arrays.fill(layer1DataKey, (byte) 0);
            Arrays.fill(layer2DataKey, (byte) 0);
        }
    }

    /**
     * Leases a usable pair for the context, counting one more object on it, or stores and leases a
     * new pair from {@code generator} when none is usable. The generator (a key service call) runs
     * outside the cache lock, so objects of other contexts are not held up by it.
     */
    Lease acquire(SortedMap<String, String> context, Supplier<Entry> generator) {
        if (!policy.reusesKeys()) {
            Entry fresh = generator.get();
            Lease lease = lease(fresh);
            fresh.wipe();
            return lease;
        }
        synchronized (this) {
            Entry entry = entries.get(context);
            if (entry != null && usable(entry)) {
                return lease(entry);
            }
        }
        Entry fresh = generator.get();
        synchronized (this) {
            Entry entry = entries.get(context);
            if (entry != null && usable(entry)) {
                // Another thread stored a pair for this context while the key service was called.
                fresh.wipe();
                return lease(entry);
            }
            if (entry != null) {
                entries.remove(context);
                entry.wipe();
            }
            entries.put(context, fresh);
            evictOldest();
            return lease(fresh);
        }
    }

    private Lease lease(Entry entry) {
        entry.objects++;
        return new Lease(entry, entry.layer1DataKey.clone(), entry.layer2DataKey.clone(), entry.keyBlock);
    }

    /** Adds the plaintext bytes of a finished object to its pair's count. */
    synchronized void recordBytes(Entry entry, long bytes) {
        entry.bytes += bytes;
    }

    synchronized void clear() {
        entries.values().forEach(Entry::wipe);
        entries.clear();
    }

    private boolean usable(Entry entry) {
        return entry.objects < policy.maxObjects()
                && entry.bytes < policy.maxBytes()
                && clock.instant().isBefore(entry.created.plus(policy.maxAge()));
    }

    private void evictOldest() {
        Iterator<Entry> it = entries.values().iterator();
        while (entries.size() > MAX_CONTEXTS && it.hasNext()) {
            it.next().wipe();
            it.remove();
        }
    }
}
