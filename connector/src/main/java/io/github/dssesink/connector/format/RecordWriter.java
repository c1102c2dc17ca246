package io.github.dssesink.connector.format;

import java.io.IOException;

import org.apache.kafka.connect.sink.SinkRecord;

/** Writes the records of one object. Not thread-safe. */
public interface RecordWriter {

    /** Returns false when the record cannot join this object (a new schema, for example), so the object must rotate first. */
    default boolean accepts(SinkRecord record) {
        return true;
    }

    /**
     * Converts and writes one record, returning the bytes it added. A record that cannot be
     * converted throws {@link org.apache.kafka.connect.errors.DataException} before any byte is
     * written, so the object stays valid.
     */
    long write(SinkRecord record) throws IOException;

    /** Writes what the format needs at the end of the object; the underlying stream stays open. */
    void finish() throws IOException;
}
