package io.github.dssesink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dssesink.crypto.EnvelopeEncryptor;
import io.github.dssesink.kmslocal.LocalKeyMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

class KeysCommandTest extends CliTestSupport {
    private static String bucket;
    private static LocalKeyMetadata keyA;
    private static LocalKeyMetadata keyB;
    private static LocalKeyMetadata keyC;

    @BeforeAll
    static void writeObjects() {
        bucket = newBucket("keys");
        keyA = newKey("keys a");
        keyB = newKey("keys b");
        keyC = newKey("keys c");
        try (EnvelopeEncryptor ab = encryptor(keyA.keyId(), keyB.keyId(), 256);
             EnvelopeEncryptor cb = encryptor(keyC.keyId(), keyB.keyId(), 256)) {
            for (int i = 0; i < 3; i++) {
                putObject(bucket, "t/ab-" + i, encrypt(ab, jsonLines(2, i), context("t")), DSSE, keyC.keyId(), Map.of());
            }
            for (int i = 0; i < 2; i++) {
                putObject(bucket, "t/cb-" + i, encrypt(cb, jsonLines(2, i), context("t")), DSSE, keyA.keyId(), Map.of());
            }
        }
        s3().putObject(request -> request.bucket(bucket).key("t/plain"), RequestBody.fromString("plain"));
    }

    @Test
    void jsonCountsObjectsPerKey() throws Exception {
        CliResult result = run("keys", "--json", uri(bucket, "t/"));

        assertEquals(1, result.exitCode(), "the plain object has no key block");
        JsonNode document = new ObjectMapper().readTree(result.out());
        Map<String, JsonNode> byKey = new HashMap<>();
        document.path("keys").forEach(entry -> byKey.put(entry.path("kmsKeyId").asText(), entry));

        assertEquals(3, byKey.get(keyA.arn()).path("layer1Objects").asInt());
        assertEquals(0, byKey.get(keyA.arn()).path("layer2Objects").asInt());
        assertEquals(5, byKey.get(keyB.arn()).path("layer2Objects").asInt());
        assertEquals(2, byKey.get(keyC.arn()).path("layer1Objects").asInt());
        int sseTotal = 0;
        for (JsonNode entry : document.path("keys")) {
            sseTotal += entry.path("sseObjects").asInt();
        }
        assertEquals(5, sseTotal);
        assertEquals(6, document.path("summary").path("total").asInt());
        assertEquals(1, document.path("summary").path("failed").asInt());
        assertTrue(document.path("failures").get(0).asText().startsWith(uri(bucket, "t/plain") + ": "), document.toString());
    }

    @Test
    void listPrintsOneLinePerObject() {
        CliResult result = run("keys", "--list", uri(bucket, "t/ab-"));

        assertEquals(0, result.exitCode(), result.err());
        assertEquals(3, result.out().lines().filter(line -> line.startsWith("s3://") && line.contains("layer1=" + keyA.arn())).count(),
                result.out());
        assertTrue(result.out().contains(keyB.arn() + "  0        3"), result.out());
        assertTrue(result.out().contains("3 objects: 3 read, 0 failed"), result.out());
    }
}
