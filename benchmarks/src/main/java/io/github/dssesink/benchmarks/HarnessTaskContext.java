package io.github.dssesink.benchmarks;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * The part of a Connect worker's task context that the sink task uses: its assignment and
 * config. Offset resets, pauses, timeouts and commit requests are recorded or ignored, and there is
 * no errant record reporter, so a record the sink cannot write stops the run.
 */
final class HarnessTaskContext implements SinkTaskContext {

    private final Map<String, String> configs;
    private final Set<TopicPartition> assignment;
    private final Map<TopicPartition, Long> offsetResets = new HashMap<>();

    HarnessTaskContext(Map<String, String> configs, Set<TopicPartition> assignment) {
        this.configs = Map.copyOf(configs);
        this.assignment = Set.copyOf(assignment);
    }

    @Override
    public Map<String, String> configs() {
        return configs;
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {
        offsetResets.putAll(offsets);
    }

    @Override
    public void offset(TopicPartition partition, long offset) {
        offsetResets.put(partition, offset);
    }

    @Override
    public void timeout(long timeoutMs) {
        // The harness calls put continuously, so it needs no wake-up.
    }

    @Override
    public Set<TopicPartition> assignment() {
        return assignment;
    }

    @Override
    public void pause(TopicPartition... partitions) {
    }

    @Override
    public void resume(TopicPartition... partitions) {
    }

    @Override
    public void requestCommit() {
    }

    @Override
    public PluginMetrics pluginMetrics() {
        throw new UnsupportedOperationException("The benchmark harness provides no Connect plugin metrics");
    }

    /** Returns the offsets that the task asked the consumer to rewind to; empty unless a write failed. */
    Map<TopicPartition, Long> offsetResets() {
        return offsetResets;
    }
}
