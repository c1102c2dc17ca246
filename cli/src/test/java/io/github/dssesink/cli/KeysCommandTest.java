package io.github.dssesink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dssesink.crypto.EnvelopeEncryptor;
import io.github.dssesink.crypto.KeyBlock;
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
        putServerSideOnlyObject(bucket, "t/server-side-only", jsonLines(2, 7), keyC.keyId(), connectorMetadata("t", 0, 0, 2L));
        s3().putObject(request -> request.bucket(bucket).key("t/plain"), RequestBody.fromString("plain"));
        Map<String, String> invalidKeyBlock = Map.of(KeyBlock.S3_METADATA_NAME, "not base64!");
        s3().putObject(request -> request.bucket(bucket).key("bad/invalid-key-block").metadata(invalidKeyBlock),
                RequestBody.fromString("plain"));
    }

    @Test
    void jsonCountsObjectsPerKey() throws Exception {
        CliResult result = run("keys", "--json", uri(bucket, "t/"));

        assertEquals(0, result.exitCode(), result.out() + result.err());
        JsonNode document = new ObjectMapper().readTree(result.out());
        Map<String, JsonNode> byKey = new HashMap<>();
        document.path("keys").forEach(entry -> byKey.put(entry.path("kmsKeyId").asText(), entry));

        assertEquals(Set.of(keyA.arn(), keyB.arn(), keyC.arn()), byKey.keySet(), "S3 key IDs are shown as key ARNs");
        assertEquals(3, byKey.get(keyA.arn()).path("layer1Objects").asInt());
        assertEquals(0, byKey.get(keyA.arn()).path("layer2Objects").asInt());
        assertEquals(2, byKey.get(keyA.arn()).path("sseObjects").asInt());
        assertEquals(5, byKey.get(keyB.arn()).path("layer2Objects").asInt());
        assertEquals(0, byKey.get(keyB.arn()).path("sseObjects").asInt());
        assertEquals(2, byKey.get(keyC.arn()).path("layer1Objects").asInt());
        assertEquals(4, byKey.get(keyC.arn()).path("sseObjects").asInt(), "three dual-layer objects and the server-side-only one");
        JsonNode summary = document.path("summary");
        assertEquals(7, summary.path("total").asInt());
        assertEquals(7, summary.path("read").asInt());
        assertEquals(2, summary.path("withoutClientSideEncryption").asInt(), "the server-side-only and the plain object");
        assertEquals(1, summary.path("withoutSseKmsKey").asInt(), "the plain object");
        assertEquals(0, summary.path("failed").asInt());
        assertEquals(0, document.path("failures").size());
    }

    @Test
    void tableCountsObjectsWithoutKeys() {
        CliResult result = run("keys", uri(bucket, "t/"));

        assertEquals(0, result.exitCode(), result.out() + result.err());
        List<String> lines = result.out().lines().toList();
        assertTrue(lines.get(0).startsWith("KMS KEY "), result.out());
        assertTrue(lines.contains(String.format("%-" + keyA.arn().length() + "s  2        2        1", "(none)")), result.out());
        assertTrue(lines.contains("7 objects: 7 read, 2 without client-side encryption, 0 failed"), result.out());
        assertFalse(lines.stream().anyMatch(line -> line.startsWith(keyC.keyId())), "no row for the bare S3 key ID: " + result.out());
    }

    @Test
    void emptyPrefixFailsUnlessAllowed() {
        CliResult empty = run("keys", uri(bucket, "nothing-here/"));
        assertEquals(1, empty.exitCode());
        assertEquals("dsse: No objects under " + uri(bucket, "nothing-here/") + ": check the bucket and prefix, or pass --allow-empty\n",
                empty.err());

        CliResult allowed = run("keys", "--allow-empty", uri(bucket, "nothing-here/"));
        assertEquals(0, allowed.exitCode(), allowed.err());
    }

    @Test
    void invalidKeyBlockFails() {
        CliResult result = run("keys", uri(bucket, "bad/"));

        assertEquals(1, result.exitCode(), result.out());
        assertTrue(result.out().contains("FAILED " + uri(bucket, "bad/invalid-key-block") + ": Invalid key block: not valid base64"),
                result.out());
        assertTrue(result.out().contains("1 objects: 0 read, 0 without client-side encryption, 1 failed"), result.out());
    }

    @Test
    void listPrintsOneLinePerObject() {
        CliResult result = run("keys", "--list", uri(bucket, "t/ab-"));

        assertEquals(0, result.exitCode(), result.err());
        assertEquals(3, result.out().lines().filter(line -> line.startsWith("s3://") && line.contains("layer1=" + keyA.arn())).count(),
                result.out());
        assertTrue(result.out().contains(keyB.arn() + "  0        3"), result.out());
        assertTrue(result.out().contains("3 objects: 3 read, 0 without client-side encryption, 0 failed"), result.out());
    }

    @Test
    void listMarksObjectsWithoutClientSideEncryption() {
        CliResult result = run("keys", "--list", uri(bucket, "t/server-side-only"));

        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains(uri(bucket, "t/server-side-only") + "  client-side encryption: none  sse=" + DSSE + ":" + keyC.arn()),
                result.out());
    }
}
