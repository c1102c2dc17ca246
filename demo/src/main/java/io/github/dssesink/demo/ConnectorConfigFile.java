package io.github.dssesink.demo;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads a connector config in either form that Connect accepts: a standalone {@code .properties}
 * file, or a {@code .json} file holding {@code {"name": ..., "config": {...}}} (the body of
 * {@code POST /connectors}) or the bare config object. Placeholders of the form {@code ${NAME}}
 * (upper case, no colon, so Connect's config providers never match them) are replaced.
 */
final class ConnectorConfigFile {

    /** {@code ${S3_BUCKET}} and the like. Connect's own {@code ${provider:path:key}} has colons. */
    static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private ConnectorConfigFile() {
    }

    /**
     * Reads the file; the {@code name} key contains the connector name in both forms.
     *
     * @throws InvalidInputException if the file is not valid JSON or properties, or a JSON value is not a string
     */
    static Map<String, String> read(Path file) throws IOException {
        if (file.getFileName().toString().endsWith(".json")) {
            return readJson(file);
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IllegalArgumentException e) {
            // Properties.load rejects a malformed backslash-u escape this way.
            throw new InvalidInputException("Invalid properties file " + file + ": " + e.getMessage()
                    + "; write a backslash as \\\\", e);
        }
        Map<String, String> config = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> config.put(key, properties.getProperty(key)));
        return config;
    }

    private static Map<String, String> readJson(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("Invalid JSON in " + file + " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e);
        }
        JsonNode configNode = root.has("config") ? root.get("config") : root;
        if (!configNode.isObject()) {
            throw new InvalidInputException("Invalid connector config " + file + ": expected a JSON object with string values");
        }
        Map<String, String> config = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = configNode.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().isTextual()) {
                throw new InvalidInputException("Invalid value for " + field.getKey() + " in " + file
                        + ": Connect expects every config value as a JSON string");
            }
            config.put(field.getKey(), field.getValue().asText());
        }
        if (root.has("name")) {
            config.put("name", root.get("name").asText());
        }
        return config;
    }

    /**
     * Checks that every placeholder in the values is one of {@code names}, so that a typo is
     * reported before any server starts.
     *
     * @throws InvalidInputException naming the first unknown placeholder, its key and the file
     */
    static void requireKnownPlaceholders(Map<String, String> config, Set<String> names, Path file) {
        for (Map.Entry<String, String> entry : config.entrySet()) {
            Matcher matcher = PLACEHOLDER.matcher(entry.getValue());
            while (matcher.find()) {
                if (!names.contains(matcher.group(1))) {
                    throw new InvalidInputException("Unknown placeholder " + matcher.group() + " in " + entry.getKey() + " of " + file
                            + "; replace it with a value or use one of the placeholders the demo fills in: "
                            + new TreeSet<>(names).stream().map(name -> "${" + name + "}").toList());
                }
            }
        }
    }

    /**
     * Replaces every placeholder in the values.
     *
     * @throws IllegalArgumentException if a value contains a placeholder that {@code values} lacks
     */
    static Map<String, String> substitute(Map<String, String> config, Map<String, String> values) {
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : config.entrySet()) {
            Matcher matcher = PLACEHOLDER.matcher(entry.getValue());
            StringBuilder replaced = new StringBuilder();
            while (matcher.find()) {
                String value = values.get(matcher.group(1));
                if (value == null) {
                    throw new IllegalArgumentException("Missing value for placeholder " + matcher.group()
                            + " in " + entry.getKey() + "; the demo knows " + new TreeMap<>(values).keySet());
                }
                matcher.appendReplacement(replaced, Matcher.quoteReplacement(value));
            }
            matcher.appendTail(replaced);
            result.put(entry.getKey(), replaced.toString());
        }
        return result;
    }
}
