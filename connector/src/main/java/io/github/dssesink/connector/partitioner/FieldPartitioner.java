package io.github.dssesink.connector.partitioner;

import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

import io.github.dssesink.connector.config.DsseS3SinkConfig;

/**
 * Writes records under paths named by value fields ({@code partition.field.name}), as
 * {@code name=value} segments joined by slashes, for Struct and Map values.
 */
public final class FieldPartitioner implements Partitioner {

    private List<String> fieldNames;

    @Override
    public void configure(DsseS3SinkConfig config) {
        fieldNames = config.getList(DsseS3SinkConfig.PARTITION_FIELD_NAME);
    }

    @Override
    public String encodePartition(SinkRecord record, long nowMs) {
        StringBuilder path = new StringBuilder();
        for (String fieldName : fieldNames) {
            if (path.length() > 0) {
                path.append('/');
            }
            path.append(fieldName).append('=').append(fieldValue(record, fieldName));
        }
        return path.toString();
    }

    private static String fieldValue(SinkRecord record, String fieldName) {
        Object value = record.value();
        Object fieldValue;
        if (value instanceof Struct struct) {
            Field field = struct.schema().field(fieldName);
            if (field == null) {
                throw missingField(record, fieldName);
            }
            fieldValue = struct.get(field);
        } else if (value instanceof Map<?, ?> map) {
            if (!map.containsKey(fieldName)) {
                throw missingField(record, fieldName);
            }
            fieldValue = map.get(fieldName);
        } else {
            throw new DataException("Record " + record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset()
                    + " has a value of type " + (value == null ? "null" : value.getClass().getSimpleName())
                    + "; the field partitioner needs a Struct or Map value");
        }
        if (fieldValue instanceof Number || fieldValue instanceof String || fieldValue instanceof Boolean) {
            return fieldValue.toString();
        }
        throw new DataException("Field '" + fieldName + "' of record " + record.topic() + "-" + record.kafkaPartition() + "@"
                + record.kafkaOffset() + " is " + (fieldValue == null ? "null" : fieldValue.getClass().getSimpleName())
                + "; the field partitioner needs a string, number or boolean");
    }

    private static DataException missingField(SinkRecord record, String fieldName) {
        return new DataException("Record " + record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset()
                + " has no field '" + fieldName + "' for the field partitioner");
    }
}
