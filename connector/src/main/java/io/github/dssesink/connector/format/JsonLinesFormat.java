package io.github.dssesink.connector.format;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.storage.ConverterType;

import io.github.dssesink.connector.config.DsseS3SinkConfig;

/**
 * JSON lines: each record value as one line of JSON, written by Connect's {@link JsonConverter}
 * without the schema envelope. Struct values keep their schema's field order; schemaless Map
 * values keep the map's order. A null value is written as {@code null}.
 */
public final class JsonLinesFormat implements RecordFormat {

    private static final byte[] NEWLINE = {'\n'};
    private static final byte[] NULL_LINE = {'n', 'u', 'l', 'l', '\n'};

    private final JsonConverter converter = new JsonConverter();

    @Override
    public void configure(DsseS3SinkConfig config) {
        converter.configure(Map.of(
                JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false",
                JsonConverterConfig.TYPE_CONFIG, ConverterType.VALUE.getName()));
    }

    @Override
    public String name() {
        return RecordFormats.JSON;
    }

    @Override
    public String extension() {
        return "json";
    }

    @Override
    public boolean supportsCompression() {
        return true;
    }

    @Override
    public RecordWriter newWriter(OutputStream out) {
        return new RecordWriter() {
            @Override
            public long write(SinkRecord record) throws IOException {
                if (record.value() == null) {
                    out.write(NULL_LINE);
                    return NULL_LINE.length;
                }
                byte[] json = toJson(record);
                out.write(json);
                out.write(NEWLINE);
                return json.length + 1L;
            }

            @Override
            public void finish() {
            }
        };
    }

    /**
     * Converts a record value. JsonConverter raises DataException for most bad values, but other
     * runtime exceptions for some bad schemas: a Decimal schema without its scale parameter raises
     * NullPointerException (Kafka 4.3.1). The call does no I/O, so every failure is the record's.
     */
    private byte[] toJson(SinkRecord record) {
        try {
            return converter.fromConnectData(record.topic(), record.valueSchema(), record.value());
        } catch (DataException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DataException("Record " + record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset()
                    + " cannot be converted to JSON: " + e, e);
        }
    }
}
