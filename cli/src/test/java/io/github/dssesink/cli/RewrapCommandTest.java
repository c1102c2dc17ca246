package io.github.dssesink.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.dssesink.crypto.AwsKmsKeyProvider;
import io.github.dssesink.crypto.EnvelopeEncryptor;
import io.github.dssesink.crypto.KeyBlock;
import io.github.dssesink.kmslocal.LocalKeyMetadata;
import io.github.dssesink.reader.DsseReader;
import io.github.dssesink.reader.RewrapOptions;
import io.github.dssesink.reader.RewrapResult;
import io.github.dssesink.reader.S3Location;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

class RewrapCommandTest extends CliTestSupport {
    private static final int OBJECT_COUNT = 20;

    @Test
    void rewrapKeepsBodiesAndSurvivesOldKeysDisabled() {
        String bucket = newBucket("rewrap");
        LocalKeyMetadata old1 = newKey("rewrap old 1");
        LocalKeyMetadata old2 = newKey("rewrap old 2");
        LocalKeyMetadata new1 = newKey("rewrap new 1");
        LocalKeyMetadata new2 = newKey("rewrap new 2");
        LocalKeyMetadata sseKey = newKey("rewrap s3");
        List<byte[]> plaintexts = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        try (EnvelopeEncryptor encryptor = encryptor(old1.keyId(), old2.keyId(), 512)) {
            for (int i = 0; i < OBJECT_COUNT; i++) {
                byte[] plaintext = jsonLines(20 + i, i);
                plaintexts.add(plaintext);
                bodies.add(putObject(bucket, key(i), encrypt(encryptor, plaintext, context("events")), DSSE, sseKey.keyId(),
                        connectorMetadata("events", i % 3, i * 1000L, 20L + i)));
            }
        }
        List<HeadObjectResponse> headsBefore = heads(bucket);

        servers().kms().resetCalls();
        CliResult dryRun = run("rewrap", "--dry-run", "--layer1-key", new1.keyId(), "--layer2-key", new2.keyId(), uri(bucket, "events/"));

        assertEquals(0, dryRun.exitCode(), dryRun.out() + dryRun.err());
        assertTrue(dryRun.out().contains("20 objects: 20 would be re-wrapped (dry run, nothing changed), 0 already on the target keys, 0 failed"),
                dryRun.out());
        assertEquals(0, servers().kms().callCount("ReEncrypt"));
        assertTrue(dryRun.out().contains("WOULD-REWRAP " + uri(bucket, key(0)) + ": layer 1 " + old1.arn() + " -> " + new1.arn()
                + ", layer 2 " + old2.arn() + " -> " + new2.arn()), "targets given as key IDs are shown as key ARNs: " + dryRun.out());
        List<HeadObjectResponse> headsAfterDryRun = heads(bucket);
        for (int i = 0; i < OBJECT_COUNT; i++) {
            assertEquals(headsBefore.get(i).metadata(), headsAfterDryRun.get(i).metadata(), key(i));
            assertEquals(headsBefore.get(i).eTag(), headsAfterDryRun.get(i).eTag(), key(i));
        }

        CliResult first = run("rewrap", "--layer1-key", new1.keyId(), "--layer2-key", new2.arn(), uri(bucket, "events/0"));
        assertEquals(0, first.exitCode(), first.out() + first.err());
        assertTrue(first.out().contains("10 objects: 10 re-wrapped, 0 already on the target keys, 0 failed"), first.out());

        servers().kms().resetCalls();
        CliResult rest = run("rewrap", "--layer1-key", new1.keyId(), "--layer2-key", new2.keyId(), uri(bucket, "events/"));
        assertEquals(0, rest.exitCode(), rest.out() + rest.err());
        assertTrue(rest.out().contains("20 objects: 10 re-wrapped, 10 already on the target keys, 0 failed"), rest.out());
        assertEquals(20, servers().kms().callCount("ReEncrypt"), "two layers of the ten remaining objects");
        assertTrue(rest.out().contains("REWRAPPED    " + uri(bucket, key(OBJECT_COUNT - 1)) + ": layer 1 " + old1.arn() + " -> " + new1.arn()),
                rest.out());

        List<HeadObjectResponse> headsAfter = heads(bucket);
        for (int i = 0; i < OBJECT_COUNT; i++) {
            HeadObjectResponse before = headsBefore.get(i);
            HeadObjectResponse after = headsAfter.get(i);
            assertArrayEquals(bodies.get(i), getBytes(bucket, key(i)), key(i));
            KeyBlock keyBlock = KeyBlock.fromBase64(after.metadata().get(KeyBlock.S3_METADATA_NAME));
            assertEquals(new1.arn(), keyBlock.layer1().keyId(), key(i));
            assertEquals(new2.arn(), keyBlock.layer2().keyId(), key(i));
            assertEquals(DSSE, after.serverSideEncryptionAsString(), key(i));
            assertEquals(before.ssekmsKeyId(), after.ssekmsKeyId(), key(i));
            assertEquals(before.contentType(), after.contentType(), key(i));
            for (String name : List.of("dsse-topic", "dsse-partition", "dsse-start-offset", "dsse-end-offset", "dsse-record-count", "dsse-format")) {
                assertEquals(before.metadata().get(name), after.metadata().get(name), key(i) + " " + name);
            }
        }

        servers().kms().disableKey(old1.keyId());
        servers().kms().disableKey(old2.keyId());
        for (int i = 0; i < OBJECT_COUNT; i++) {
            CliResult decrypted = run("decrypt", uri(bucket, key(i)));
            assertEquals(0, decrypted.exitCode(), decrypted.err());
            assertArrayEquals(plaintexts.get(i), decrypted.binaryOut(), key(i));
        }

        servers().kms().resetCalls();
        CliResult again = run("rewrap", "--layer1-key", new1.keyId(), "--layer2-key", new2.keyId(), uri(bucket, "events/"));
        assertEquals(0, again.exitCode(), again.out());
        assertTrue(again.out().contains("20 objects: 0 re-wrapped, 20 already on the target keys, 0 failed"), again.out());
        assertEquals(0, servers().kms().callCount("ReEncrypt"));

        CliResult keys = run("keys", uri(bucket, "events/"));
        assertEquals(0, keys.exitCode(), keys.err());
        assertTrue(keys.out().contains(new1.arn() + "  20       0"), keys.out());
        assertTrue(keys.out().contains(new2.arn() + "  0        20"), keys.out());
    }

    @Test
    void aliasTargetIsResumable() {
        String bucket = newBucket("rewrap-alias");
        LocalKeyMetadata old = newKey("alias old");
        LocalKeyMetadata target = newKey("alias target");
        servers().kms().createAlias("alias/rewrap-target", target.keyId());
        try (EnvelopeEncryptor encryptor = encryptor(old.keyId(), old.keyId(), 256)) {
            putObject(bucket, "a.json", encrypt(encryptor, jsonLines(3, 1), context("a")), DSSE, old.keyId(), Map.of());
        }

        CliResult first = run("rewrap", "--layer2-key", "alias/rewrap-target", uri(bucket, ""));
        CliResult second = run("rewrap", "--layer2-key", "alias/rewrap-target", uri(bucket, ""));

        assertTrue(first.out().contains("layer 1 unchanged (" + old.arn() + "), layer 2 " + old.arn() + " -> " + target.arn()), first.out());
        assertTrue(second.out().contains("1 objects: 0 re-wrapped, 1 already on the target keys, 0 failed"), second.out());
    }

    @Test
    void failuresAreReportedAndOthersContinue() {
        String bucket = newBucket("rewrap-fail");
        LocalKeyMetadata old = newKey("fail old");
        LocalKeyMetadata denied = newKey("fail denied");
        LocalKeyMetadata target = newKey("fail target");
        try (EnvelopeEncryptor encryptor = encryptor(old.keyId(), old.keyId(), 256);
             EnvelopeEncryptor deniedEncryptor = encryptor(denied.keyId(), old.keyId(), 256)) {
            putObject(bucket, "1-ok.json", encrypt(encryptor, jsonLines(3, 1), context("a")), DSSE, old.keyId(), Map.of());
            putObject(bucket, "2-denied.json", encrypt(deniedEncryptor, jsonLines(3, 2), context("a")), DSSE, old.keyId(), Map.of());
            putObject(bucket, "3-ok.json", encrypt(encryptor, jsonLines(3, 3), context("a")), DSSE, old.keyId(), Map.of());
        }
        servers().kms().denyOperation("ReEncrypt", denied.keyId());

        CliResult result = run("rewrap", "--layer1-key", target.keyId(), uri(bucket, ""));

        assertEquals(1, result.exitCode());
        assertTrue(result.out().contains("FAILED       " + uri(bucket, "2-denied.json") + ": KMS ReEncrypt failed"), result.out());
        assertTrue(result.out().contains("access denied"), result.out());
        assertTrue(result.out().contains("3 objects: 2 re-wrapped, 0 already on the target keys, 1 failed"), result.out());
    }

    @Test
    void missingTargetIsUsageError() {
        CliResult result = run("rewrap", "s3://any-bucket/prefix");

        assertEquals(2, result.exitCode());
        assertEquals("dsse: Missing target key: set --layer1-key, --layer2-key or both\n", result.err());
    }

    @Test
    void multipartCopyKeepsBody() {
        String bucket = newBucket("rewrap-parts");
        LocalKeyMetadata old = newKey("parts old");
        LocalKeyMetadata target = newKey("parts target");
        // S3 parts other than the last must hold at least 5 MiB, so two parts need more than that.
        byte[] plaintext = new byte[5 * 1024 * 1024 + 300_000];
        new java.util.Random(5).nextBytes(plaintext);
        byte[] body;
        try (EnvelopeEncryptor encryptor = encryptor(old.keyId(), old.keyId(), 256 * 1024)) {
            body = putObject(bucket, "big.json", encrypt(encryptor, plaintext, context("big")), DSSE, old.keyId(),
                    connectorMetadata("big", 0, 0, 2000L));
        }
        S3Location location = S3Location.parse(uri(bucket, "big.json"));
        DsseReader reader = DsseReader.builder().s3Client(s3()).keyProvider(new AwsKmsKeyProvider(servers().kmsClient()))
                .multipartCopyThreshold(1024).copyPartSize(5 * 1024 * 1024).build();

        RewrapResult result = reader.rewrap(location, target.keyId(), target.keyId(), new RewrapOptions(false, old.keyId()));

        assertEquals(RewrapResult.Status.REWRAPPED, result.status());
        assertArrayEquals(body, getBytes(bucket, "big.json"));
        HeadObjectResponse head = s3().headObject(request -> request.bucket(bucket).key("big.json"));
        assertEquals("2000", head.metadata().get("dsse-record-count"));
        assertEquals(target.arn(), KeyBlock.fromBase64(head.metadata().get(KeyBlock.S3_METADATA_NAME)).layer1().keyId());
        ByteArrayOutputStream decrypted = new ByteArrayOutputStream();
        reader.decrypt(location, decrypted);
        assertArrayEquals(plaintext, decrypted.toByteArray());
    }

    private static String key(int index) {
        return String.format("events/%02d.json", index);
    }

    @Test
    void emptyPrefixFailsUnlessAllowed() {
        String bucket = newBucket("rewrap-empty");
        CliResult empty = run("rewrap", "--dry-run", "--layer1-key", "alias/any", uri(bucket, "nothing-here/"));
        assertEquals(1, empty.exitCode());
        assertEquals("dsse: No objects under " + uri(bucket, "nothing-here/") + ": check the bucket and prefix, or pass --allow-empty\n",
                empty.err());

        CliResult allowed = run("rewrap", "--dry-run", "--allow-empty", "--layer1-key", "alias/any", uri(bucket, "nothing-here/"));
        assertEquals(0, allowed.exitCode(), allowed.err());
    }

    private static List<HeadObjectResponse> heads(String bucket) {
        List<HeadObjectResponse> heads = new ArrayList<>();
        for (int i = 0; i < OBJECT_COUNT; i++) {
            String key = key(i);
            heads.add(s3().headObject(request -> request.bucket(bucket).key(key)));
        }
        return heads;
    }
}
