package io.github.dssesink.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/**
 * Regenerates docs/configuration.md from the packaged connector's ConfigDef and fails when the
 * committed file differs. With {@code -Ddsse.docs.update=true} it rewrites the file instead.
 */
class ConfigReferenceTest {

    static final String REGENERATE_COMMAND =
            "mvn -B -q install -DskipTests -pl demo -am && mvn -B -q -pl demo test -Dtest=ConfigReferenceTest -Ddsse.docs.update=true";
    private static final Path DOC = TestServers.PROJECT_ROOT.resolve("docs/configuration.md");

    @Test
    void committedReferenceMatchesConfigDef() throws Exception {
        ConfigDef configDef = ConfigReference.loadConfigDef(TestServers.PLUGIN_PATH);
        String expected = ConfigReference.markdown(configDef, REGENERATE_COMMAND);

        if (Boolean.getBoolean("dsse.docs.update")) {
            Files.writeString(DOC, expected, StandardCharsets.UTF_8);
        }
        assertTrue(Files.isRegularFile(DOC), DOC + " is missing; generate it with: " + REGENERATE_COMMAND);
        assertEquals(expected, Files.readString(DOC, StandardCharsets.UTF_8),
                DOC + " differs from the connector's ConfigDef; regenerate it with: " + REGENERATE_COMMAND);
    }

    @Test
    void referenceListsEveryKey() throws Exception {
        ConfigDef configDef = ConfigReference.loadConfigDef(TestServers.PLUGIN_PATH);
        String markdown = ConfigReference.markdown(configDef, REGENERATE_COMMAND);
        for (String key : configDef.names()) {
            assertTrue(markdown.contains("### `" + key + "`"), key + " is missing from the reference");
        }
        assertTrue(markdown.contains("## Server-side encryption"));
        assertTrue(markdown.contains("## Client-side encryption"));
    }
}
