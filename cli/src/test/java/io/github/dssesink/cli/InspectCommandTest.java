package io.github.dssesink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dssesink.crypto.EnvelopeEncryptor;
import io.github.dssesink.kmslocal.LocalKeyMetadata;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

class InspectCommandTest extends CliTestSupport {
    private static String bucket;
    private static LocalKeyMetadata layer1;
    private static LocalKeyMetadata layer2;
    private static LocalKeyMetadata sseKey;
    private static byte[] plaintext;

    @BeforeAll
    static void writeObjects() {
        bucket = newBucket("inspect");
        layer1 = newKey("inspect layer 1");
        layer2 = newKey("inspect layer 2");
        sseKey = newKey("inspect s3");
        plaintext = jsonLines(100, 1);
        try (EnvelopeEncryptor encryptor = encryptor(layer1.keyId(), layer2.keyId(), 1024)) {
            Encrypted single = encrypt(encryptor, plaintext, context("orders"));
            putObject(bucket, "orders/0/single.json", single, DSSE, sseKey.keyId(), connectorMetadata("orders", 3, 500, 100L));
            Encrypted multipart = encrypt(encryptor, plaintext, context("orders"));
            putObject(bucket, "orders/0/multipart.json", multipart, DSSE, sseKey.keyId(), connectorMetadata("orders", 3, 600, null));
        }
        putServerSideOnlyObject(bucket, "orders/0/server-side-only.json", plaintext, sseKey.keyId(),
                connectorMetadata("orders", 4, 700, 100L));
        s3().putObject(request -> request.bucket(bucket).key("plain.txt"), RequestBody.fromString("just text, not encrypted"));
    }

    @Test
    void inspectPrintsHeaderAndMetadataFields() {
        CliResult result = run("inspect", uri(bucket, "orders/0/single.json"));

        assertEquals(0, result.exitCode(), result.err());
        String out = result.out();
        assertTrue(out.contains("Format version:          1"), out);
        assertTrue(out.contains("Frame size:              1024 bytes"), out);
        assertTrue(out.contains("Plaintext length:        " + plaintext.length + " bytes"), out);
        assertTrue(out.contains("Frames:                  " + ((plaintext.length + 1023) / 1024)), out);
        assertTrue(out.contains("S3 encryption:           aws:kms:dsse"), out);
        assertTrue(out.contains("S3 KMS key ID:           "), out);
        assertTrue(out.contains("Layer 1 KMS key ID:      " + layer1.arn() + " (aws-kms)"), out);
        assertTrue(out.contains("Layer 2 KMS key ID:      " + layer2.arn() + " (aws-kms)"), out);
        assertTrue(out.contains("Layer 1 algorithm:       AES-256-GCM (JCA)"), out);
        assertTrue(out.contains("Layer 2 algorithm:       AES-256-GCM (Bouncy Castle)"), out);
        assertTrue(out.contains("dsse-sink:layer=2"), out);
        assertTrue(out.contains("dsse-sink:topic=orders"), out);
        assertTrue(out.contains("Topic:                   orders"), out);
        assertTrue(out.contains("Partition:               3"), out);
        assertTrue(out.contains("Offsets:                 500 to 599"), out);
        assertTrue(out.contains("Record count:            100"), out);
    }

    @Test
    void inspectJsonReportsFields() throws Exception {
        CliResult result = run("inspect", "--json", uri(bucket, "orders/0/single.json"));

        assertEquals(0, result.exitCode(), result.err());
        JsonNode object = new ObjectMapper().readTree(result.out()).path("objects").get(0);
        assertEquals(1, object.path("formatVersion").asInt());
        assertEquals(1024, object.path("frameSize").asInt());
        assertEquals(plaintext.length, object.path("plaintextLength").asLong());
        assertEquals(DSSE, object.path("serverSideEncryption").asText());
        assertTrue(object.path("sseKmsKeyId").asText().endsWith(sseKey.keyId()), object.toString());
        assertEquals(layer1.arn(), object.path("layer1").path("kmsKeyId").asText());
        assertEquals(layer2.arn(), object.path("layer2").path("kmsKeyId").asText());
        assertEquals("1", object.path("layer1").path("encryptionContext").path("dsse-sink:layer").asText());
        assertEquals("orders", object.path("encryptionContext").path("dsse-sink:topic").asText());
        assertTrue(object.path("clientSideEncryption").asBoolean(), object.toString());
        assertTrue(object.path("partition").isIntegralNumber(), object.toString());
        assertEquals(3, object.path("partition").asInt());
        assertTrue(object.path("startOffset").isIntegralNumber(), object.toString());
        assertEquals(500, object.path("startOffset").asLong());
        assertTrue(object.path("endOffset").isIntegralNumber(), object.toString());
        assertEquals(599, object.path("endOffset").asLong());
        assertTrue(object.path("recordCount").isIntegralNumber(), object.toString());
        assertEquals(100, object.path("recordCount").asLong());
        assertTrue(object.path("objectLength").isIntegralNumber(), object.toString());
    }

    @Test
    void jsonReportsUnknownCountAsNull() throws Exception {
        CliResult result = run("inspect", "--json", uri(bucket, "orders/0/multipart.json"));

        assertEquals(0, result.exitCode(), result.err());
        JsonNode object = new ObjectMapper().readTree(result.out()).path("objects").get(0);
        assertTrue(object.path("endOffset").isNull(), object.toString());
        assertTrue(object.path("recordCount").isNull(), object.toString());
        assertEquals(600, object.path("startOffset").asLong());
    }

    @Test
    void serverSideOnlyObjectIsReported() {
        CliResult result = run("inspect", uri(bucket, "orders/0/server-side-only.json"));

        assertEquals(0, result.exitCode(), result.err());
        assertEquals("", result.err());
        String out = result.out();
        assertTrue(out.startsWith(uri(bucket, "orders/0/server-side-only.json") + "\n"), out);
        assertTrue(out.contains("Object length:           " + plaintext.length + " bytes"), out);
        assertTrue(out.contains("S3 encryption:           aws:kms:dsse"), out);
        assertTrue(out.contains("S3 KMS key ID:           "), out);
        assertTrue(out.contains(sseKey.keyId()), out);
        assertTrue(out.contains("Client-side encryption:  none"), out);
        assertFalse(out.contains("Layer 1"), out);
        assertFalse(out.contains("Format version"), out);
        assertTrue(out.contains("Topic:                   orders"), out);
        assertTrue(out.contains("Partition:               4"), out);
        assertTrue(out.contains("Offsets:                 700 to 799"), out);
        assertTrue(out.contains("Record count:            100"), out);
    }

    @Test
    void serverSideOnlyObjectJson() throws Exception {
        CliResult result = run("inspect", "--json", uri(bucket, "orders/0/server-side-only.json"));

        assertEquals(0, result.exitCode(), result.err());
        JsonNode object = new ObjectMapper().readTree(result.out()).path("objects").get(0);
        assertFalse(object.path("clientSideEncryption").asBoolean(), object.toString());
        assertTrue(object.path("layer1").isMissingNode(), object.toString());
        assertEquals(DSSE, object.path("serverSideEncryption").asText());
        assertEquals(4, object.path("partition").asInt());
        assertEquals(799, object.path("endOffset").asLong());
    }

    @Test
    void countRecordsSkipsServerSideOnlyObject() {
        putServerSideOnlyObject(bucket, "orders/1/server-side-only-multipart.json", plaintext, sseKey.keyId(),
                connectorMetadata("orders", 4, 800, null));

        CliResult result = run("inspect", "--count-records", uri(bucket, "orders/1/server-side-only-multipart.json"));

        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("Record count:            unknown (--count-records reads only objects with client-side"
                + " encryption)"), result.out());
    }

    @Test
    void multipartObjectReportsUnknownCount() {
        CliResult result = run("inspect", uri(bucket, "orders/0/multipart.json"));

        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("Offsets:                 600 to unknown"), result.out());
        assertTrue(result.out().contains("Record count:            unknown"), result.out());
    }

    @Test
    void countRecordsDecryptsAndCountsLines() {
        CliResult result = run("inspect", "--count-records", uri(bucket, "orders/0/multipart.json"));

        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("Record count:            100 (counted by decrypting)"), result.out());
    }

    @Test
    void missingObjectGivesOneLine() {
        CliResult result = run("inspect", uri(bucket, "orders/0/missing.json"));

        assertEquals(1, result.exitCode());
        assertEquals("dsse: " + uri(bucket, "orders/0/missing.json") + ": object not found\n", result.err());
        assertEquals("", result.out());
    }

    @Test
    void plainObjectIsNamedNotDsse() {
        CliResult result = run("inspect", uri(bucket, "plain.txt"));

        assertEquals(1, result.exitCode());
        String err = result.err();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("dsse: " + uri(bucket, "plain.txt") + ": "), err);
        assertTrue(err.contains("not a DSSE Sink encrypted object"), err);
        assertFalse(err.contains("\tat "), err);
    }

    @Test
    void inspectCarriesOnAfterFailure() {
        CliResult result = run("inspect", uri(bucket, "orders/0/missing.json"), uri(bucket, "orders/0/single.json"));

        assertEquals(1, result.exitCode());
        assertTrue(result.out().contains("Record count:            100"), result.out());
        assertEquals(1, result.err().lines().count(), result.err());
    }

    @Test
    void verboseAddsStackTrace() {
        CliResult result = run("inspect", "--verbose", uri(bucket, "orders/0/missing.json"));

        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains("\tat "), result.err());
    }

    @AfterEach
    void restoreLogLevels() {
        // Verbose mode raises log levels for the whole JVM.
        Configurator.setLevel("io.github.dssesink", Level.WARN);
        Configurator.setLevel("software.amazon.awssdk.request", Level.WARN);
    }
}
