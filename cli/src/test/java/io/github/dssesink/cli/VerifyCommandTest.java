package io.github.dssesink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dssesink.crypto.EnvelopeEncryptor;
import io.github.dssesink.kmslocal.LocalKeyMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

class VerifyCommandTest extends CliTestSupport {
    private static final int VALID_OBJECTS = 5;
    private static String bucket;
    private static LocalKeyMetadata layer1;
    private static LocalKeyMetadata layer2;
    private static LocalKeyMetadata sseKey;

    @BeforeAll
    static void writeObjects() {
        bucket = newBucket("verify");
        layer1 = newKey("verify layer 1");
        layer2 = newKey("verify layer 2");
        sseKey = newKey("verify s3");
        try (EnvelopeEncryptor encryptor = encryptor(layer1.keyId(), layer2.keyId(), 256)) {
            for (int i = 0; i < VALID_OBJECTS; i++) {
                putObject(bucket, "logs/valid-" + i + ".json", encrypt(encryptor, jsonLines(50 + i, i), context("logs")), DSSE,
                        sseKey.keyId(), connectorMetadata("logs", 0, i * 100L, 50L + i));
            }
            putObject(bucket, "logs/sse-kms.json", encrypt(encryptor, jsonLines(10, 9), context("logs")), "aws:kms",
                    sseKey.keyId(), Map.of());
            Encrypted tampered = encrypt(encryptor, jsonLines(40, 10), context("logs"));
            byte[] body = tampered.body().clone();
            body[body.length - 100] ^= 0x40;
            putObject(bucket, "logs/tampered.json", new Encrypted(body, tampered.keyBlock()), DSSE, sseKey.keyId(), Map.of());
        }
        s3().putObject(request -> request.bucket(bucket).key("logs/plain.json"), RequestBody.fromString("{\"plain\":true}\n"));
        s3().putObject(request -> request.bucket(bucket).key("other/outside-prefix.json"), RequestBody.fromString("not checked"));
        putServerSideOnlyObject(bucket, "server-side-only/a.json", jsonLines(5, 1), sseKey.keyId(), connectorMetadata("logs", 1, 0, 5L));
    }

    @Test
    void jsonReportsEachFailingObject() throws Exception {
        CliResult result = run("verify", "--json", uri(bucket, "logs/"));

        assertEquals(1, result.exitCode(), result.err());
        JsonNode document = new ObjectMapper().readTree(result.out());
        assertEquals(8, document.path("summary").path("total").asInt());
        assertEquals(5, document.path("summary").path("passed").asInt());
        assertEquals(3, document.path("summary").path("failed").asInt());

        Map<String, JsonNode> byKey = new HashMap<>();
        document.path("objects").forEach(object -> byKey.put(object.path("key").asText(), object));
        assertEquals(8, byKey.size());
        for (int i = 0; i < VALID_OBJECTS; i++) {
            JsonNode valid = byKey.get("logs/valid-" + i + ".json");
            assertTrue(valid.path("passed").asBoolean(), valid.toString());
            assertEquals(DSSE, valid.path("serverSideEncryption").asText());
            assertEquals(layer1.arn(), valid.path("layer1KeyId").asText());
        }

        JsonNode plain = byKey.get("logs/plain.json");
        assertFalse(plain.path("passed").asBoolean());
        assertTrue(failedCheck(plain, "sse").contains("no server-side encryption"), plain.toString());
        assertTrue(failedCheck(plain, "client-side-encryption").startsWith("no client-side encryption"), plain.toString());

        JsonNode sseKms = byKey.get("logs/sse-kms.json");
        assertFalse(sseKms.path("passed").asBoolean());
        assertTrue(failedCheck(sseKms, "sse").contains("'aws:kms'"), sseKms.toString());
        assertEquals("", failedCheck(sseKms, "envelope"), "the envelope itself is intact");

        JsonNode tampered = byKey.get("logs/tampered.json");
        assertFalse(tampered.path("passed").asBoolean());
        assertEquals("", failedCheck(tampered, "sse"));
        assertTrue(failedCheck(tampered, "envelope").toLowerCase().contains("frame"), tampered.toString());
    }

    @Test
    void tableEndsWithSummary() {
        CliResult result = run("verify", uri(bucket, "logs/"));

        assertEquals(1, result.exitCode(), result.err());
        String out = result.out();
        assertTrue(out.startsWith("KEY"), out);
        assertTrue(out.contains("8 objects: 5 passed, 3 failed"), out);
        assertTrue(out.contains("FAIL " + uri(bucket, "logs/tampered.json") + ": "), out);
        assertEquals(3, out.lines().filter(line -> line.startsWith("FAIL ")).count(), out);
        assertEquals(5, out.lines().filter(line -> line.startsWith("logs/valid-") && line.endsWith("PASS")).count(), out);
    }

    @Test
    void validPrefixPasses() {
        CliResult result = run("verify", "--concurrency", "2", uri(bucket, "logs/valid-"));

        assertEquals(0, result.exitCode(), result.out() + result.err());
        assertTrue(result.out().contains("5 objects: 5 passed, 0 failed"), result.out());
    }

    @Test
    void headerOnlyDoesNotReadFrames() {
        CliResult result = run("verify", "--header-only", uri(bucket, "logs/tampered.json"));

        assertEquals(0, result.exitCode(), result.out());
        assertTrue(result.out().contains("1 objects: 1 passed, 0 failed"), result.out());
    }

    @Test
    void layerKeyNotOnAllowList() throws Exception {
        CliResult result = run("verify", "--json", "--allowed-key", layer1.keyId(), uri(bucket, "logs/valid-"));

        assertEquals(1, result.exitCode());
        JsonNode object = new ObjectMapper().readTree(result.out()).path("objects").get(0);
        assertTrue(failedCheck(object, "layer-keys").contains(layer2.arn()), object.toString());
    }

    @Test
    void allowedKeysPass() {
        CliResult result = run("verify", "--allowed-key", layer1.keyId(), "--allowed-key", layer2.arn(),
                "--allowed-sse-key", sseKey.keyId(), uri(bucket, "logs/valid-"));

        assertEquals(0, result.exitCode(), result.out());
    }

    @Test
    void sseKeyNotOnAllowList() throws Exception {
        CliResult result = run("verify", "--json", "--allowed-sse-key", layer1.keyId(), uri(bucket, "logs/valid-0"));

        assertEquals(1, result.exitCode());
        JsonNode object = new ObjectMapper().readTree(result.out()).path("objects").get(0);
        assertTrue(failedCheck(object, "sse-key").contains("not on the allowed list"), object.toString());
    }

    @Test
    void emptyPrefixFails() {
        CliResult result = run("verify", uri(bucket, "nothing-here/"));

        assertEquals(1, result.exitCode());
        assertEquals("dsse: No objects under " + uri(bucket, "nothing-here/") + ": check the bucket and prefix, or pass --allow-empty\n",
                result.err());
        assertEquals("", result.out());
    }

    @Test
    void emptyPrefixFailsWithJson() {
        CliResult result = run("verify", "--json", uri(bucket, "nothing-here/"));

        assertEquals(1, result.exitCode());
        assertEquals(1, result.err().lines().count(), result.err());
        assertEquals("", result.out());
    }

    @Test
    void allowEmptyPassesEmptyPrefix() {
        CliResult result = run("verify", "--allow-empty", uri(bucket, "nothing-here/"));

        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("0 objects: 0 passed, 0 failed"), result.out());
    }

    @Test
    void serverSideOnlyObjectFailsByDefault() throws Exception {
        CliResult result = run("verify", "--json", uri(bucket, "server-side-only/"));

        assertEquals(1, result.exitCode(), result.err());
        JsonNode object = new ObjectMapper().readTree(result.out()).path("objects").get(0);
        assertFalse(object.path("passed").asBoolean(), object.toString());
        assertEquals("", failedCheck(object, "sse"), "S3 reports aws:kms:dsse");
        assertTrue(failedCheck(object, "client-side-encryption").contains("--server-side-only"), object.toString());
    }

    @Test
    void serverSideOnlyOptionAcceptsObject() {
        CliResult result = run("verify", "--server-side-only", uri(bucket, "server-side-only/"));

        assertEquals(0, result.exitCode(), result.out() + result.err());
        List<String> lines = result.out().lines().toList();
        assertTrue(lines.get(1).startsWith("server-side-only/a.json"), result.out());
        assertTrue(lines.get(1).matches(".*\\bok\\s+-\\s+none\\s+PASS$"), lines.get(1));
        assertTrue(lines.contains("1 objects: 1 passed, 0 failed"), result.out());
    }

    @Test
    void serverSideOnlyStillChecksEnvelopes() {
        CliResult result = run("verify", "--server-side-only", uri(bucket, "logs/"));

        assertEquals(1, result.exitCode(), result.err());
        assertTrue(result.out().contains("8 objects: 5 passed, 3 failed"), result.out());
        assertTrue(result.out().contains("FAIL " + uri(bucket, "logs/tampered.json") + ": "), result.out());
    }

    /** Returns the detail of the named check when it failed, or "" when it passed or did not run. */
    private static String failedCheck(JsonNode object, String name) {
        for (JsonNode check : object.path("checks")) {
            if (check.path("name").asText().equals(name) && !check.path("passed").asBoolean()) {
                return check.path("detail").asText();
            }
        }
        return "";
    }
}
