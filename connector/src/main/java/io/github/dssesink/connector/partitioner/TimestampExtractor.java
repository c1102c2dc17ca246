package io.github.dssesink.connector.partitioner;

import org.apache.kafka.connect.sink.SinkRecord;

/** Returns the time of a record in epoch milliseconds, for time partitions and record-time rotation. */
@FunctionalInterface
public interface TimestampExtractor {

    /** @throws org.apache.kafka.connect.errors.DataException if the record has no usable time */
    long extract(SinkRecord record, long nowMs);
}
