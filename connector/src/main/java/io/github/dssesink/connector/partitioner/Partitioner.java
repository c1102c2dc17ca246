package io.github.dssesink.connector.partitioner;

import org.apache.kafka.connect.sink.SinkRecord;

import io.github.dssesink.connector.config.DsseS3SinkConfig;

/**
 * Maps a record to the encoded partition: the part of the object key between the topic and the
 * file name, such as {@code partition=3} or {@code year=2024/month=05}. Implementations have a
 * public no-argument constructor; one instance serves one task and is not shared between threads.
 */
public interface Partitioner {

    void configure(DsseS3SinkConfig config);

    /**
     * Returns the encoded partition of a record, without leading or trailing slashes.
     *
     * @param nowMs the wall-clock time in epoch milliseconds, for wall-clock partitioning
     * @throws org.apache.kafka.connect.errors.DataException if the record lacks what the partitioner needs
     */
    String encodePartition(SinkRecord record, long nowMs);
}
