package io.github.dssesink.connector.format;

import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import io.github.dssesink.connector.config.DsseS3SinkConfig;

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
        String trimmed = name.trim();
        Class<? extends RecordFormat> known = KNOWN.getOrDefault(trimmed.toLowerCase(Locale.ROOT), KNOWN.get(trimmed));
        if (known != null) {
            return known;
        }
        try {
            Class<?> loaded = Class.forName(trimmed, false, RecordFormats.class.getClassLoader());
            if (!RecordFormat.class.isAssignableFrom(loaded)) {
                throw new IllegalArgumentException("class " + trimmed + " does not implement " + RecordFormat.class.getName());
            }
            return loaded.asSubclass(RecordFormat.class);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("unknown format; use json, avro, bytearray or a class implementing "
                    + RecordFormat.class.getName());
        }
    }

    public static RecordFormat create(DsseS3SinkConfig config) {
        Class<? extends RecordFormat> type = resolve(config.getString(DsseS3SinkConfig.FORMAT_CLASS));
        try {
            RecordFormat format = type.getDeclaredConstructor().newInstance();
            format.configure(config);
            return format;
        } catch (ReflectiveOperationException e) {
            throw new ConfigException(DsseS3SinkConfig.FORMAT_CLASS, type.getName(),
                    "the class has no public no-argument constructor: " + e);
        }
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
