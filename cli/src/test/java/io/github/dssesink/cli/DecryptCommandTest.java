package io.github.dssesink.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.github.dssesink.crypto.EnvelopeEncryptor;
import io.github.dssesink.crypto.KeyBlock;
import io.github.dssesink.crypto.LocalKeyring;
import io.github.dssesink.kmslocal.LocalKeyMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecryptCommandTest extends CliTestSupport {
    private static final int FRAME_SIZE = 1024;
    private static String bucket;
    private static LocalKeyMetadata layer1;
    private static LocalKeyMetadata layer2;
    private static byte[] plaintext;
    private static byte[] body;

    @BeforeAll
    static void writeObjects() {
        bucket = newBucket("decrypt");
        layer1 = newKey("decrypt layer 1");
        layer2 = newKey("decrypt layer 2");
        LocalKeyMetadata other = newKey("decrypt other");
        plaintext = new byte[10 * FRAME_SIZE + 333];
        new Random(7).nextBytes(plaintext);
        try (EnvelopeEncryptor encryptor = encryptor(layer1.keyId(), layer2.keyId(), FRAME_SIZE)) {
            Encrypted encrypted = encrypt(encryptor, plaintext, context("payments"));
            body = putObject(bucket, "payments/object.bin", encrypted, DSSE, layer1.keyId(), connectorMetadata("payments", 0, 0, 1L));

            // The key block claims another KMS key for layer 1, as if it had been swapped in.
            KeyBlock swapped = new KeyBlock(new KeyBlock.WrappedKey(encrypted.keyBlock().layer1().provider(), other.arn(),
                    encrypted.keyBlock().layer1().wrappedDataKey()), encrypted.keyBlock().layer2());
            putObject(bucket, "payments/wrong-key.bin", new Encrypted(encrypted.body(), swapped), DSSE, layer1.keyId(), Map.of());

            Encrypted empty = encrypt(encryptor, new byte[0], context("payments"));
            putObject(bucket, "payments/empty.bin", empty, DSSE, layer1.keyId(), Map.of());

            LocalKeyMetadata denied = newKey("decrypt denied");
            Encrypted deniedObject = encrypt(encryptor(denied.keyId(), layer2.keyId(), FRAME_SIZE), plaintext, context("payments"));
            putObject(bucket, "payments/denied.bin", deniedObject, DSSE, layer1.keyId(), Map.of());
            servers().kms().denyOperation("Decrypt", denied.keyId());

            LocalKeyMetadata disabled = newKey("decrypt disabled");
            Encrypted disabledObject = encrypt(encryptor(disabled.keyId(), layer2.keyId(), FRAME_SIZE), plaintext, context("payments"));
            putObject(bucket, "payments/disabled.bin", disabledObject, DSSE, layer1.keyId(), Map.of());
            servers().kms().disableKey(disabled.keyId());

            byte[] tampered = encrypted.body().clone();
            tampered[tampered.length - 40] ^= 0x01;
            putObject(bucket, "payments/tampered.bin", new Encrypted(tampered, encrypted.keyBlock()), DSSE, layer1.keyId(), Map.of());
        }
    }

    @AfterEach
    void bodyIsUnchanged() {
        assertArrayEquals(body, getBytes(bucket, "payments/object.bin"));
    }

    @Test
    void decryptWritesPlaintextToStandardOutput() {
        CliResult result = run("decrypt", uri(bucket, "payments/object.bin"));

        assertEquals(0, result.exitCode(), result.err());
        assertArrayEquals(plaintext, result.binaryOut());
        assertEquals("", result.err());
    }

    @Test
    void decryptWritesFile(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("plain.bin");

        CliResult result = run("decrypt", "-o", file.toString(), uri(bucket, "payments/object.bin"));

        assertEquals(0, result.exitCode(), result.err());
        assertArrayEquals(plaintext, Files.readAllBytes(file));
        assertEquals(List.of(file), Files.list(directory).toList());
    }

    @Test
    void rangesEqualSlicesOfFullDecrypt() {
        byte[] full = run("decrypt", uri(bucket, "payments/object.bin")).binaryOut();
        int length = plaintext.length;
        long[][] ranges = {
            {0, 0}, {0, 1}, {0, FRAME_SIZE}, {FRAME_SIZE, 2 * FRAME_SIZE}, {FRAME_SIZE - 1, FRAME_SIZE + 1},
            {3 * FRAME_SIZE + 17, 7 * FRAME_SIZE - 5}, {10 * FRAME_SIZE, length}, {length - 1, length}, {length, length},
            {0, length}, {5000, 5000},
        };
        for (long[] range : ranges) {
            CliResult result = run("decrypt", "--range", range[0] + "-" + range[1], uri(bucket, "payments/object.bin"));

            assertEquals(0, result.exitCode(), range[0] + "-" + range[1] + ": " + result.err());
            assertArrayEquals(Arrays.copyOfRange(full, (int) range[0], (int) range[1]), result.binaryOut(), range[0] + "-" + range[1]);
        }
    }

    @Test
    void openEndedRangeRunsToEnd() {
        CliResult result = run("decrypt", "--range", "9000-", uri(bucket, "payments/object.bin"));

        assertEquals(0, result.exitCode(), result.err());
        assertArrayEquals(Arrays.copyOfRange(plaintext, 9000, plaintext.length), result.binaryOut());
    }

    @Test
    void emptyObjectDecryptsToNothing() {
        CliResult whole = run("decrypt", uri(bucket, "payments/empty.bin"));
        CliResult range = run("decrypt", "--range", "0-0", uri(bucket, "payments/empty.bin"));

        assertEquals(0, whole.exitCode(), whole.err());
        assertEquals(0, whole.binaryOut().length);
        assertEquals(0, range.exitCode(), range.err());
        assertEquals(0, range.binaryOut().length);
    }

    @Test
    void rangeBeyondEndIsRejected() {
        CliResult result = run("decrypt", "--range", "0-" + (plaintext.length + 1), uri(bucket, "payments/object.bin"));

        assertEquals(1, result.exitCode());
        assertOneLine(result, "payments/object.bin", "Invalid range");
    }

    @Test
    void malformedRangeIsRejected() {
        CliResult result = run("decrypt", "--range", "12", uri(bucket, "payments/object.bin"));

        assertEquals(2, result.exitCode());
        assertTrue(result.err().startsWith("dsse: Invalid --range '12'"), result.err());
    }

    @Test
    void missingObjectGivesOneLine() {
        CliResult result = run("decrypt", uri(bucket, "payments/missing.bin"));

        assertEquals(1, result.exitCode());
        assertEquals("dsse: " + uri(bucket, "payments/missing.bin") + ": object not found\n", result.err());
    }

    @Test
    void openRangeOfServerSideOnlyObjectFails() {
        putServerSideOnlyObject(bucket, "payments/server-side-only.json", jsonLines(3, 1), layer1.keyId(),
                connectorMetadata("payments", 0, 0, 3L));

        CliResult result = run("decrypt", "--range", "5-", uri(bucket, "payments/server-side-only.json"));

        assertEquals(1, result.exitCode());
        assertEquals("dsse: " + uri(bucket, "payments/server-side-only.json")
                + ": no client-side encryption, so there is nothing to decrypt; read the object with an S3 client\n", result.err());
        assertEquals(0, result.binaryOut().length);
    }

    @Test
    void wrongKeyGivesOneLine() {
        CliResult result = run("decrypt", uri(bucket, "payments/wrong-key.bin"));

        assertEquals(1, result.exitCode());
        assertOneLine(result, "payments/wrong-key.bin", "KMS rejected the wrapped data key");
        assertEquals(0, result.binaryOut().length);
    }

    @Test
    void accessDeniedGivesOneLine() {
        CliResult result = run("decrypt", uri(bucket, "payments/denied.bin"));

        assertEquals(1, result.exitCode());
        assertOneLine(result, "payments/denied.bin", "access denied; grant kms:Decrypt");
    }

    @Test
    void disabledKeyGivesOneLine() {
        CliResult result = run("decrypt", uri(bucket, "payments/disabled.bin"));

        assertEquals(1, result.exitCode());
        assertOneLine(result, "payments/disabled.bin", "disabled");
    }

    @Test
    void tamperedFrameFailsAndLeavesNoFile(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("plain.bin");

        CliResult result = run("decrypt", "-o", file.toString(), uri(bucket, "payments/tampered.bin"));

        assertEquals(1, result.exitCode());
        assertOneLine(result, "payments/tampered.bin", "frame");
        assertFalse(Files.exists(file));
        assertEquals(List.of(), Files.list(directory).toList());
    }

    @Test
    void tamperedFrameOutsideRangeIsNotRead() {
        CliResult result = run("decrypt", "--range", "0-2048", uri(bucket, "payments/tampered.bin"));

        assertEquals(0, result.exitCode(), result.err());
        assertArrayEquals(Arrays.copyOfRange(plaintext, 0, 2048), result.binaryOut());
    }

    @Test
    void keyringObjectDecryptsWithKeyringOption(@TempDir Path directory) throws Exception {
        Path keyringFile = directory.resolve("keyring.json");
        LocalKeyring.generate(keyringFile, "local-1", "local-2");
        LocalKeyring keyring = LocalKeyring.load(keyringFile);
        try (EnvelopeEncryptor encryptor = EnvelopeEncryptor.builder().layer1(keyring, "local-1").layer2(keyring, "local-2").build()) {
            putObject(bucket, "local/keyring.bin", encrypt(encryptor, plaintext, context("local")), DSSE, layer1.keyId(), Map.of());
        }

        CliResult withKeyring = run("decrypt", "--keyring", keyringFile.toString(), uri(bucket, "local/keyring.bin"));
        CliResult withoutKeyring = run("decrypt", uri(bucket, "local/keyring.bin"));

        assertEquals(0, withKeyring.exitCode(), withKeyring.err());
        assertArrayEquals(plaintext, withKeyring.binaryOut());
        assertEquals(1, withoutKeyring.exitCode());
        assertOneLine(withoutKeyring, "local/keyring.bin", "key provider 'local', which is not configured");
    }

    private static void assertOneLine(CliResult result, String key, String expectedCause) {
        String err = result.err();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("dsse: " + uri(bucket, key) + ": "), err);
        assertTrue(err.toLowerCase().contains(expectedCause.toLowerCase()), err);
        assertFalse(err.contains("\tat "), err);
    }
}
