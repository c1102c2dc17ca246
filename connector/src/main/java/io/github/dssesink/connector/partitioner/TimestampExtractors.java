package io.github.dssesink.connector.partitioner;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/** The values of {@code timestamp.extractor}, as the Confluent S3 sink names them. */
public final class TimestampExtractors {

    public static final String RECORD = "Record";
    public static final String RECORD_FIELD = "RecordField";
    public static final String WALLCLOCK = "Wallclock";

    private TimestampExtractors() {
    }

    public static TimestampExtractor create(String name, String fieldName) {
        if (name.equalsIgnoreCase(RECORD)) {
            return TimestampExtractors::recordTimestamp;
        }
        if (name.equalsIgnoreCase(RECORD_FIELD)) {
            return (record, nowMs) -> fieldTimestamp(record, fieldName);
        }
        if (name.equalsIgnoreCase(WALLCLOCK)) {
            return (record, nowMs) -> nowMs;
        }
        throw new IllegalArgumentException("Unknown timestamp extractor '" + name + "'; use Record, RecordField or Wallclock");
    }

    private static long recordTimestamp(SinkRecord record, long nowMs) {
        if (record.timestamp() == null) {
            throw new DataException("Record " + id(record) + " has no timestamp; use timestamp.extractor=Wallclock or RecordField");
        }
        return record.timestamp();
    }

    private static long fieldTimestamp(SinkRecord record, String fieldName) {
        Object value = record.value();
        Object fieldValue;
        if (value instanceof Struct struct) {
            Field field = struct.schema().field(fieldName);
            fieldValue = field == null ? null : struct.get(field);
        } else if (value instanceof Map<?, ?> map) {
            fieldValue = map.get(fieldName);
        } else {
            fieldValue = null;
        }
        if (fieldValue instanceof Number number) {
            return number.longValue();
        }
        if (fieldValue instanceof Date date) {
            return date.getTime();
        }
        if (fieldValue instanceof String text) {
            try {
                return Instant.parse(text).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new DataException("Field '" + fieldName + "' of record " + id(record) + " is '" + text
                        + "', which is not an ISO-8601 instant such as 2024-05-01T12:00:00Z");
            }
        }
        throw new DataException("Record " + id(record) + " has no field '" + fieldName
                + "' with epoch milliseconds, a Timestamp or an ISO-8601 string, for timestamp.extractor=RecordField");
    }

    private static String id(SinkRecord record) {
        return record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
    }
}
