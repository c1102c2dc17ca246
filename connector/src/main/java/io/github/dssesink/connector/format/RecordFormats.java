package io.github.dssesink.connector.format;

import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import io.github.dssesink.connector.config.DsseS3SinkConfig;
import io.github.dssesink.connector.config.PluggableClasses;

/**
 * Resolves {@code format.class}: short names, this project's class names, the Confluent S3 sink's
 * format class names (so configs migrate unchanged), or any class implementing {@link RecordFormat}.
 */
public final class RecordFormats {

    public static final String JSON = "json";
    public static final String AVRO = "avro";
    public static final String BYTEARRAY = "bytearray";

    private static final String CONFLUENT_PACKAGE = "io.confluent.connect.s3.format.";
    private static final Map<String, Class<? extends RecordFormat>> KNOWN = Map.of(
            JSON, JsonLinesFormat.class,
            AVRO, AvroFormat.class,
            BYTEARRAY, ByteArrayFormat.class,
            CONFLUENT_PACKAGE + "json.JsonFormat", JsonLinesFormat.class,
            CONFLUENT_PACKAGE + "avro.AvroFormat", AvroFormat.class,
            CONFLUENT_PACKAGE + "bytearray.ByteArrayFormat", ByteArrayFormat.class);

    private RecordFormats() {
    }

    /**
     * Returns the format class for a config value.
     *
     * @throws IllegalArgumentException if the name is neither known nor a loadable RecordFormat class
     */
    public static Class<? extends RecordFormat> resolve(String name) {
        return PluggableClasses.resolve(name, KNOWN, RecordFormat.class, "format", "json, avro, bytearray");
    }

    public static RecordFormat create(DsseS3SinkConfig config) {
        RecordFormat format = PluggableClasses.instantiate(resolve(config.getString(DsseS3SinkConfig.FORMAT_CLASS)),
                DsseS3SinkConfig.FORMAT_CLASS);
        format.configure(config);
        return format;
    }

    /** Returns whether the named format accepts {@code s3.compression.type}; false for a name that resolves to no format. */
    public static boolean supportsCompression(String name) {
        try {
            return resolve(name).getDeclaredConstructor().newInstance().supportsCompression();
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Rejects a {@code format.class} value that names no format. */
    public static final class Validator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String key, Object value) {
            if (value == null) {
                throw new ConfigException(key, null, "missing format");
            }
            try {
                resolve((String) value);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "json, avro, bytearray, or a RecordFormat class name";
        }
    }
}
