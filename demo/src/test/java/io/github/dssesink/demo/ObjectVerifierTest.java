package io.github.dssesink.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The read-back check on hand-made, unencrypted objects in S3Mock: duplicates, gaps, changed bytes, unknown offsets. */
@ExtendWith(TestServers.class)
class ObjectVerifierTest {

    private static final List<byte[]> VALUES = List.of(bytes("{\"a\":1}"), bytes("{\"a\":2}"), bytes("{\"a\":3}"));

    /** Three records: partition 0 offsets 0 and 1, partition 1 offset 0. */
    private static ProducedRecords produced() {
        return new ProducedRecords(VALUES, new int[] {0, 0, 1}, new long[] {0, 1, 0});
    }

    @Test
    void completeObjectsMatch() throws Exception {
        String prefix = "complete/";
        put(prefix + "p0", "t", 0, 0, "{\"a\":1}\n{\"a\":2}\n");
        put(prefix + "p1", "t", 1, 0, "{\"a\":3}\n");

        ObjectVerifier.Result result = verifier(ObjectVerifier.Comparison.BYTES).verify(prefix, "t", produced());

        assertTrue(result.allMatched(3), result.toString());
        assertEquals(3, result.matched());
        assertEquals(2, result.objects().size());
    }

    @Test
    void duplicateRecordIsReported() throws Exception {
        String prefix = "duplicate/";
        put(prefix + "p0-a", "t", 0, 0, "{\"a\":1}\n{\"a\":2}\n");
        put(prefix + "p0-b", "t", 0, 1, "{\"a\":2}\n");
        put(prefix + "p1", "t", 1, 0, "{\"a\":3}\n");

        ObjectVerifier.Result result = verifier(ObjectVerifier.Comparison.BYTES).verify(prefix, "t", produced());

        assertFalse(result.allMatched(3));
        assertEquals(1, result.duplicates());
        assertEquals(3, result.matched());
    }

    @Test
    void missingRecordIsReported() throws Exception {
        String prefix = "missing/";
        put(prefix + "p0", "t", 0, 0, "{\"a\":1}\n{\"a\":2}\n");

        ObjectVerifier.Result result = verifier(ObjectVerifier.Comparison.BYTES).verify(prefix, "t", produced());

        assertFalse(result.allMatched(3));
        assertEquals(1, result.missing());
    }

    @Test
    void changedByteIsReported() throws Exception {
        String prefix = "changed/";
        put(prefix + "p0", "t", 0, 0, "{\"a\":1}\n{\"a\":9}\n");
        put(prefix + "p1", "t", 1, 0, "{\"a\":3}\n");

        ObjectVerifier.Result result = verifier(ObjectVerifier.Comparison.BYTES).verify(prefix, "t", produced());

        assertFalse(result.allMatched(3));
        assertEquals(1, result.mismatched());
        assertEquals(1, result.missing());
    }

    @Test
    void unexpectedOffsetIsReported() throws Exception {
        String prefix = "unexpected/";
        put(prefix + "p0", "t", 0, 0, "{\"a\":1}\n{\"a\":2}\n{\"a\":4}\n");
        put(prefix + "p1", "t", 1, 0, "{\"a\":3}\n");

        ObjectVerifier.Result result = verifier(ObjectVerifier.Comparison.BYTES).verify(prefix, "t", produced());

        assertFalse(result.allMatched(3));
        assertEquals(1, result.unexpected());
    }

    @Test
    void jsonComparisonIgnoresFieldOrder() throws Exception {
        List<byte[]> values = List.of(bytes("{\"a\":1,\"b\":2}"));
        ProducedRecords produced = new ProducedRecords(values, new int[] {0}, new long[] {0});
        String prefix = "json/";
        put(prefix + "p0", "t", 0, 0, "{\"b\":2,\"a\":1}\n");

        assertTrue(verifier(ObjectVerifier.Comparison.JSON).verify(prefix, "t", produced).allMatched(1));
        assertFalse(verifier(ObjectVerifier.Comparison.BYTES).verify(prefix, "t", produced).allMatched(1));
    }

    @Test
    void otherTopicsAreSkipped() throws Exception {
        String prefix = "other-topic/";
        put(prefix + "p0", "t", 0, 0, "{\"a\":1}\n{\"a\":2}\n");
        put(prefix + "p1", "t", 1, 0, "{\"a\":3}\n");
        put(prefix + "x0", "other", 0, 0, "{\"a\":7}\n");

        ObjectVerifier.Result result = verifier(ObjectVerifier.Comparison.BYTES).verify(prefix, "t", produced());

        assertTrue(result.allMatched(3), result.toString());
        assertEquals(2, result.objects().size());
    }

    private static ObjectVerifier verifier(ObjectVerifier.Comparison comparison) throws Exception {
        return new ObjectVerifier(s3(), DemoMain.BUCKET, null, null, "none", comparison);
    }

    private static void put(String key, String topic, int partition, long startOffset, String body) throws Exception {
        s3().putObject(request -> request.bucket(DemoMain.BUCKET).key(key).metadata(Map.of(
                "dsse-topic", topic,
                "dsse-partition", Integer.toString(partition),
                "dsse-start-offset", Long.toString(startOffset))), RequestBody.fromString(body));
    }

    private static S3Client s3() throws Exception {
        return TestServers.servers().s3();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
