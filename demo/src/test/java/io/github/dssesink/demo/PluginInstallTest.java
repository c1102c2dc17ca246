package io.github.dssesink.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The plugin zip, unpacked into a worker's plugin.path, as the worker and a user see it. */
@ExtendWith(TestServers.class)
class PluginInstallTest {

    private static final String VERSION = System.getProperty("dsse.demo.project.version", "0.1.0-SNAPSHOT");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void workerListsConnectorWithVersion() throws Exception {
        JsonNode plugins = TestServers.servers().connect().get("connector-plugins");

        JsonNode ours = null;
        for (JsonNode plugin : plugins) {
            if (ConfigReference.CONNECTOR_CLASS.equals(plugin.path("class").asText())) {
                ours = plugin;
            }
        }
        assertNotNull(ours, "GET /connector-plugins does not list " + ConfigReference.CONNECTOR_CLASS + ": " + plugins);
        assertEquals("sink", ours.path("type").asText());
        assertEquals(VERSION, ours.path("version").asText());
    }

    @Test
    void connectorIsNotOnDemoClassPath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName(ConfigReference.CONNECTOR_CLASS));
    }

    @Test
    void archiveHasConfluentHubLayout() throws IOException {
        Path plugin = pluginDirectory();
        assertEquals("dsse-s3-sink-connector-" + VERSION, plugin.getFileName().toString());
        assertTrue(Files.isRegularFile(plugin.resolve("doc/LICENSE")));
        assertTrue(Files.isRegularFile(plugin.resolve("doc/README.md")));
        assertTrue(Files.isRegularFile(plugin.resolve("etc/dsse-dual-layer.properties")));
        assertTrue(Files.isRegularFile(plugin.resolve("etc/dsse-dual-layer.json")));

        JsonNode manifest = JSON.readTree(plugin.resolve("manifest.json").toFile());
        assertEquals("dsse-s3-sink-connector", manifest.path("name").asText());
        assertEquals(VERSION, manifest.path("version").asText());
        assertEquals("sink", manifest.path("component_types").path(0).asText());
        assertEquals(1, manifest.path("component_types").size());
        assertFalse(manifest.path("license").path(0).path("name").asText().isEmpty());
    }

    @Test
    void libHoldsConnectorWithoutWorkerJars() throws IOException {
        List<String> jars;
        try (Stream<Path> files = Files.list(pluginDirectory().resolve("lib"))) {
            jars = files.map(path -> path.getFileName().toString()).sorted().toList();
        }
        assertTrue(jars.contains("dsse-s3-sink-connector-" + VERSION + ".jar"), jars.toString());
        assertTrue(jars.contains("dsse-crypto-" + VERSION + ".jar"), jars.toString());
        assertTrue(jars.stream().anyMatch(jar -> jar.startsWith("s3-2.")), jars.toString());
        assertTrue(jars.stream().anyMatch(jar -> jar.startsWith("jackson-databind-")), jars.toString());
        // The SDK's default credential chain needs these for web identity and role profiles.
        for (String credentialsJar : List.of("sts-2.", "sso-2.", "ssooidc-2.")) {
            assertTrue(jars.stream().anyMatch(jar -> jar.startsWith(credentialsJar)), credentialsJar + " missing from lib: " + jars);
        }
        for (String workerJar : List.of("connect-api-", "connect-json-", "kafka-clients-", "slf4j-api-", "log4j-")) {
            assertTrue(jars.stream().noneMatch(jar -> jar.startsWith(workerJar)), workerJar + " must not be in lib: " + jars);
        }
    }

    private static Path pluginDirectory() throws IOException {
        try (Stream<Path> dirs = Files.list(TestServers.PLUGIN_PATH)) {
            List<Path> plugins = dirs.filter(Files::isDirectory).toList();
            assertEquals(1, plugins.size(), "Expected one unpacked plugin in " + TestServers.PLUGIN_PATH + ": " + plugins);
            return plugins.get(0);
        }
    }
}
