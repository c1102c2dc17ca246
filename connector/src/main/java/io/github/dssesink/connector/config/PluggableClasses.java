package io.github.dssesink.connector.config;

import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;

/**
 * Resolves and instantiates the classes that config keys name, such as {@code format.class} and
 * {@code partitioner.class}: a short name, one of this connector's class names, a class name of the
 * most used S3 sink, or any class on the plugin's class path that implements the interface.
 */
public final class PluggableClasses {

    private PluggableClasses() {
    }

    /**
     * Returns the class that {@code name} names.
     *
     * @param known      short and well-known class names, with short names in lower case
     * @param knownNames the short names, for the error message
     * @throws IllegalArgumentException if the name is neither known nor a loadable class implementing {@code type}
     */
    public static <T> Class<? extends T> resolve(String name, Map<String, Class<? extends T>> known, Class<T> type,
                                                 String kind, String knownNames) {
        String trimmed = name.trim();
        Class<? extends T> match = known.get(trimmed.toLowerCase(Locale.ROOT));
        if (match == null) {
            match = known.get(trimmed);
        }
        if (match != null) {
            return match;
        }
        try {
            Class<?> loaded = Class.forName(trimmed, false, type.getClassLoader());
            if (!type.isAssignableFrom(loaded)) {
                throw new IllegalArgumentException("class " + trimmed + " does not implement " + type.getName());
            }
            return loaded.asSubclass(type);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("unknown " + kind + "; use " + knownNames + " or a class implementing " + type.getName());
        }
    }

    /** Creates an instance through the public no-argument constructor; a failure names the config key. */
    public static <T> T instantiate(Class<? extends T> type, String configKey) {
        try {
            return type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new ConfigException(configKey, type.getName(), "the class has no public no-argument constructor: " + e);
        }
    }
}
