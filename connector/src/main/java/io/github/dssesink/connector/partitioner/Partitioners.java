package io.github.dssesink.connector.partitioner;

import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import io.github.dssesink.connector.config.DsseS3SinkConfig;
import io.github.dssesink.connector.config.PluggableClasses;

/**
 * Resolves {@code partitioner.class}: short names, this project's class names, the Confluent S3
 * sink's partitioner class names (so configs migrate unchanged), or any class implementing
 * {@link Partitioner}.
 */
public final class Partitioners {

    public static final String DEFAULT = "default";

    private static final String CONFLUENT_PACKAGE = "io.confluent.connect.storage.partitioner.";
    private static final Map<String, Class<? extends Partitioner>> KNOWN = Map.ofEntries(
            Map.entry(DEFAULT, DefaultPartitioner.class),
            Map.entry("field", FieldPartitioner.class),
            Map.entry("time", TimeBasedPartitioner.class),
            Map.entry("hourly", HourlyPartitioner.class),
            Map.entry("daily", DailyPartitioner.class),
            Map.entry(CONFLUENT_PACKAGE + "DefaultPartitioner", DefaultPartitioner.class),
            Map.entry(CONFLUENT_PACKAGE + "FieldPartitioner", FieldPartitioner.class),
            Map.entry(CONFLUENT_PACKAGE + "TimeBasedPartitioner", TimeBasedPartitioner.class),
            Map.entry(CONFLUENT_PACKAGE + "HourlyPartitioner", HourlyPartitioner.class),
            Map.entry(CONFLUENT_PACKAGE + "DailyPartitioner", DailyPartitioner.class));

    private Partitioners() {
    }

    /**
     * Returns the partitioner class for a config value.
     *
     * @throws IllegalArgumentException if the name is neither known nor a loadable Partitioner class
     */
    public static Class<? extends Partitioner> resolve(String name) {
        return PluggableClasses.resolve(name, KNOWN, Partitioner.class, "partitioner", "default, field, time, hourly, daily");
    }

    public static Partitioner create(DsseS3SinkConfig config) {
        Partitioner partitioner = PluggableClasses.instantiate(resolve(config.getString(DsseS3SinkConfig.PARTITIONER_CLASS)),
                DsseS3SinkConfig.PARTITIONER_CLASS);
        partitioner.configure(config);
        return partitioner;
    }

    public static boolean isTimeBased(String name) {
        Class<? extends Partitioner> type = safeResolve(name);
        return type != null && TimeBasedPartitioner.class.isAssignableFrom(type);
    }

    /** Returns true for the hourly and daily partitioners, which fix their own path format and duration. */
    public static boolean isPreset(String name) {
        Class<? extends Partitioner> type = safeResolve(name);
        return type == HourlyPartitioner.class || type == DailyPartitioner.class;
    }

    public static boolean isFieldBased(String name) {
        return safeResolve(name) == FieldPartitioner.class;
    }

    private static Class<? extends Partitioner> safeResolve(String name) {
        try {
            return resolve(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Rejects a {@code partitioner.class} value that names no partitioner. */
    public static final class Validator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String key, Object value) {
            if (value == null) {
                throw new ConfigException(key, null, "missing partitioner");
            }
            try {
                resolve((String) value);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "default, field, time, hourly, daily, or a Partitioner class name";
        }
    }
}
