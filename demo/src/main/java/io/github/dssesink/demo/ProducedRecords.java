package io.github.dssesink.demo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.github.dssesink.kafkalocal.LocalKafkaBroker;

/** The input records and the partition and offset that Kafka gave each one. */
final class ProducedRecords {

    private final List<byte[]> values;
    private final int[] partitions;
    private final long[] offsets;
    private final Map<Integer, Map<Long, Integer>> indexByPartitionOffset = new HashMap<>();

    ProducedRecords(List<byte[]> values, int[] partitions, long[] offsets) {
        this.values = values;
        this.partitions = partitions;
        this.offsets = offsets;
        for (int i = 0; i < values.size(); i++) {
            indexByPartitionOffset.computeIfAbsent(partitions[i], p -> new HashMap<>()).put(offsets[i], i);
        }
    }

    /**
     * Produces the values in order, without keys, spread round-robin over the partitions, and
     * records each record's partition and offset.
     */
    static ProducedRecords produce(LocalKafkaBroker kafka, String topic, int partitionCount, List<byte[]> values) {
        int[] partitions = new int[values.size()];
        long[] offsets = new long[values.size()];
        AtomicReference<Exception> failure = new AtomicReference<>();
        Map<String, Object> props = Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        try (KafkaProducer<byte[], byte[]> producer = kafka.createProducer(props)) {
            for (int i = 0; i < values.size(); i++) {
                int index = i;
                producer.send(new ProducerRecord<>(topic, i % partitionCount, null, values.get(i)), (metadata, exception) -> {
                    if (exception != null) {
                        failure.compareAndSet(null, exception);
                        return;
                    }
                    partitions[index] = metadata.partition();
                    offsets[index] = metadata.offset();
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("Failed to produce to topic " + topic + ": " + failure.get().getMessage(), failure.get());
        }
        return new ProducedRecords(values, partitions, offsets);
    }

    int size() {
        return values.size();
    }

    byte[] value(int index) {
        return values.get(index);
    }

    /** Returns the index of the record at that partition and offset, or -1 if the demo did not produce it. */
    int indexOf(int partition, long offset) {
        Map<Long, Integer> byOffset = indexByPartitionOffset.get(partition);
        if (byOffset == null) {
            return -1;
        }
        return byOffset.getOrDefault(offset, -1);
    }

    /** Returns the end offset (last offset + 1) of each partition that received records. */
    Map<Integer, Long> endOffsets() {
        Map<Integer, Long> ends = new TreeMap<>();
        for (int i = 0; i < values.size(); i++) {
            ends.merge(partitions[i], offsets[i] + 1, Math::max);
        }
        return ends;
    }

    /** Returns how many records went to each partition. */
    Map<Integer, Integer> countsByPartition() {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (int partition : partitions) {
            counts.merge(partition, 1, Integer::sum);
        }
        return counts;
    }
}
