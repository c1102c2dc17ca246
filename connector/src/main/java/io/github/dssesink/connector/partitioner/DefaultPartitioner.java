package io.github.dssesink.connector.partitioner;

import org.apache.kafka.connect.sink.SinkRecord;

import io.github.dssesink.connector.config.DsseS3SinkConfig;

/** Writes each Kafka partition under its own path, {@code partition=N}. */
public final class DefaultPartitioner implements Partitioner {

    @Override
    public void configure(DsseS3SinkConfig config) {
    }

    @Override
    public String encodePartition(SinkRecord record, long nowMs) {
        return "partition=" + record.kafkaPartition();
    }
}
