package io.github.dssesink.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.connect.runtime.distributed.DistributedConfig;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.runtime.rest.entities.ConfigValueInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The example configs in config/: each passes the connector's validate() and both forms agree. */
@ExtendWith(TestServers.class)
class ConfigFilesTest {

    private static final Path CONFIG_DIR = TestServers.PROJECT_ROOT.resolve("config");
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"dsse-dual-layer", "dsse-only", "sse-kms", "sse-c"})
    void propertiesPassValidate(String name) throws Exception {
        assertNoValidationErrors(CONFIG_DIR.resolve(name + ".properties"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dsse-dual-layer", "dsse-only", "sse-kms", "sse-c"})
    void jsonPassesValidate(String name) throws Exception {
        assertNoValidationErrors(CONFIG_DIR.resolve(name + ".json"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dsse-dual-layer", "dsse-only", "sse-kms", "sse-c"})
    void propertiesAndJsonAgree(String name) throws IOException {
        Map<String, String> properties = ConnectorConfigFile.read(CONFIG_DIR.resolve(name + ".properties"));
        Map<String, String> json = ConnectorConfigFile.read(CONFIG_DIR.resolve(name + ".json"));
        assertEquals(properties, json);
    }

    @Test
    void recommendedConfigUsesDsseAndTwoLayers() throws IOException {
        Map<String, String> config = ConnectorConfigFile.read(CONFIG_DIR.resolve("dsse-dual-layer.properties"));
        assertEquals("aws:kms:dsse", config.get("s3.ssea.name"));
        assertEquals("true", config.get("dsse.client.encryption.enabled"));
        assertEquals("${LAYER1_KMS_KEY_ID}", config.get("dsse.layer1.kms.key.id"));
        assertEquals("${LAYER2_KMS_KEY_ID}", config.get("dsse.layer2.kms.key.id"));
        assertEquals("${SSE_KMS_KEY_ID}", config.get("s3.sse.kms.key.id"));
    }

    @Test
    void workerConfigIsValid() throws Exception {
        TestServers.Servers servers = TestServers.servers();
        Map<String, String> worker = ConnectorConfigFile.substitute(
                ConnectorConfigFile.read(CONFIG_DIR.resolve("connect-distributed.properties")), servers.placeholders("flights"));
        DistributedConfig config = new DistributedConfig(worker);
        assertEquals(List.of("/opt/connect-plugins"), config.getList("plugin.path"));
        assertEquals("service_load", config.getString("plugin.discovery").toLowerCase());
    }

    @Test
    void bucketPolicyDeniesUploadsWithoutDsse() throws IOException {
        JsonNode policy = JSON.readTree(CONFIG_DIR.resolve("bucket-policy-require-dsse.json").toFile());
        boolean deniesOtherAlgorithm = false;
        boolean deniesMissingHeader = false;
        for (JsonNode statement : policy.path("Statement")) {
            if (!"Deny".equals(statement.path("Effect").asText()) || !"s3:PutObject".equals(statement.path("Action").asText())) {
                continue;
            }
            JsonNode condition = statement.path("Condition");
            if ("aws:kms:dsse".equals(condition.path("StringNotEquals").path("s3:x-amz-server-side-encryption").asText())) {
                deniesOtherAlgorithm = true;
            }
            if ("true".equals(condition.path("Null").path("s3:x-amz-server-side-encryption").asText())) {
                deniesMissingHeader = true;
            }
        }
        assertTrue(deniesOtherAlgorithm, "no Deny of s3:PutObject unless the header is aws:kms:dsse");
        assertTrue(deniesMissingHeader, "no Deny of s3:PutObject without the header (Null condition)");
    }

    @Test
    void iamPolicyGrantsOnlyNeededActions() throws IOException {
        JsonNode policy = JSON.readTree(CONFIG_DIR.resolve("iam-policy-connector.json").toFile());
        Set<String> actions = new TreeSet<>();
        for (JsonNode statement : policy.path("Statement")) {
            assertEquals("Allow", statement.path("Effect").asText());
            JsonNode action = statement.path("Action");
            if (action.isArray()) {
                action.forEach(item -> actions.add(item.asText()));
            } else {
                actions.add(action.asText());
            }
            assertFalse(statement.path("Resource").toString().contains("\"*\""), "wildcard resource in " + statement);
        }
        assertEquals(new TreeSet<>(Set.of("s3:ListBucket", "s3:PutObject", "s3:AbortMultipartUpload",
                "kms:GenerateDataKey", "kms:Decrypt", "kms:DescribeKey")), actions);
    }

    private static void assertNoValidationErrors(Path file) throws Exception {
        TestServers.Servers servers = TestServers.servers();
        Map<String, String> config = new HashMap<>(ConnectorConfigFile.substitute(ConnectorConfigFile.read(file),
                servers.placeholders("flights")));
        config.putAll(servers.loopbackOverrides());
        assertFalse(config.values().stream().anyMatch(value -> ConnectorConfigFile.PLACEHOLDER.matcher(value).find()));

        ConfigInfos result = servers.connect().validateConnectorConfig(ConfigReference.CONNECTOR_CLASS, config);
        Set<String> errors = new HashSet<>();
        for (ConfigInfo info : result.configs()) {
            ConfigValueInfo value = info.configValue();
            if (!value.errors().isEmpty()) {
                errors.add(value.name() + ": " + value.errors());
            }
        }
        assertEquals(Set.of(), errors, file + " has validation errors");
        assertEquals(0, result.errorCount());
    }
}
