package io.github.dssesink.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.github.dssesink.kmslocal.KmsCall;
import io.github.dssesink.kmslocal.LocalKeyMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Envelope encryption with data keys from the real AWS SDK KMS client against the local KMS server. */
class AwsKmsEnvelopeTest {
    private static final int FRAME = 4096;
    private static LocalKms kms;
    private static LocalKeyMetadata key1;
    private static LocalKeyMetadata key2;

    @BeforeAll
    static void startKms() {
        kms = new LocalKms();
        key1 = kms.server.createKey("layer 1");
        key2 = kms.server.createKey("layer 2");
        kms.server.createAlias("alias/dsse-layer2", key2.keyId());
    }

    @AfterAll
    static void stopKms() {
        kms.close();
    }

    private static EnvelopeEncryptor encryptor(int frameSize) {
        return EnvelopeEncryptor.builder()
                .layer1(kms.provider, key1.arn())
                .layer2(kms.provider, "alias/dsse-layer2")
                .frameSize(frameSize)
                .build();
    }

    private static EnvelopeDecryptor decryptor() {
        return EnvelopeDecryptor.builder().keyProvider(kms.provider).unwrappedKeyCacheSize(0).build();
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, FRAME - 1, FRAME, FRAME + 1})
    void roundTripAtFrameEdges(int size) {
        byte[] plaintext = Fixtures.bytes(size, size);
        try (EnvelopeEncryptor encryptor = encryptor(FRAME)) {
            Fixtures.Sealed sealed = Fixtures.seal(encryptor, plaintext);
            assertEquals(key1.arn(), sealed.keyBlock().layer1().keyId());
            assertEquals(key2.arn(), sealed.keyBlock().layer2().keyId(), "the key block records the ARN behind the alias");
            assertEquals(KeyProviderId.AWS_KMS, sealed.keyBlock().layer1().provider());
            assertArrayEquals(plaintext, decryptor().decrypt(sealed.object(), sealed.keyBlock()));
        }
    }

    @Test
    void hundredMebibytesRoundTrip() throws IOException {
        int chunks = 100;
        MessageDigest expected = sha256();
        MessageDigest actual = sha256();
        java.io.ByteArrayOutputStream object = new java.io.ByteArrayOutputStream(101 << 20);
        KeyBlock keyBlock;
        try (EnvelopeEncryptor encryptor = encryptor(EnvelopeEncryptor.DEFAULT_FRAME_SIZE_IN_BYTES);
             EncryptingOutputStream out = encryptor.open(object, Fixtures.CONTEXT)) {
            for (int i = 0; i < chunks; i++) {
                byte[] chunk = Fixtures.bytes(1 << 20, i);
                expected.update(chunk);
                out.write(chunk);
            }
            out.close();
            keyBlock = out.keyBlock();
        }
        try (InputStream in = decryptor().open(new ByteArrayInputStream(object.toByteArray()), keyBlock)) {
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                actual.update(buffer, 0, n);
                total += n;
            }
            assertEquals((long) chunks << 20, total);
        }
        assertArrayEquals(expected.digest(), actual.digest());
    }

    @Test
    void encryptionContextReachesKmsPerLayer() {
        kms.server.resetCalls();
        try (EnvelopeEncryptor encryptor = encryptor(FRAME)) {
            Fixtures.seal(encryptor, new byte[10]);
        }
        List<KmsCall> calls = kms.server.calls().stream().filter(c -> c.operation().equals("GenerateDataKey")).toList();
        assertEquals(2, calls.size());
        for (KmsCall call : calls) {
            assertEquals("orders", call.encryptionContext().get("dsse-sink:topic"));
            assertEquals("kafka-connect-s3-sink", call.encryptionContext().get("dsse-sink:purpose"));
        }
        assertEquals(List.of("1", "2"), calls.stream().map(c -> c.encryptionContext().get("dsse-sink:layer")).sorted().toList());
    }

    @Test
    void disabledKmsKeyRejected() {
        Fixtures.Sealed sealed;
        try (EnvelopeEncryptor encryptor = encryptor(FRAME)) {
            sealed = Fixtures.seal(encryptor, new byte[100]);
        }
        kms.server.disableKey(key1.keyId());
        try {
            EnvelopeException decrypt = assertThrows(EnvelopeException.class, () -> decryptor().decrypt(sealed.object(), sealed.keyBlock()));
            assertEquals(EnvelopeException.Reason.KEY_DISABLED, decrypt.reason());
            assertTrue(decrypt.getMessage().contains(key1.arn()), decrypt.getMessage());

            try (EnvelopeEncryptor encryptor = encryptor(FRAME)) {
                EnvelopeException encrypt = assertThrows(EnvelopeException.class, () -> Fixtures.seal(encryptor, new byte[1]));
                assertEquals(EnvelopeException.Reason.KEY_DISABLED, encrypt.reason());
            }
        } finally {
            kms.server.enableKey(key1.keyId());
        }
        assertArrayEquals(new byte[100], decryptor().decrypt(sealed.object(), sealed.keyBlock()));
    }

    @Test
    void wrongEncryptionContextRejectedByKms() {
        Fixtures.Sealed sealed;
        try (EnvelopeEncryptor encryptor = encryptor(FRAME)) {
            sealed = Fixtures.seal(encryptor, new byte[100]);
        }
        byte[] object = sealed.object().clone();
        int at = indexOf(object, "orders".getBytes());
        object[at + 5] = 'y';
        EnvelopeException e = assertThrows(EnvelopeException.class, () -> decryptor().decrypt(object, sealed.keyBlock()));
        assertEquals(EnvelopeException.Reason.WRONG_KEY_OR_CONTEXT, e.reason(), e.getMessage());
    }

    @Test
    void decryptPinnedToRecordedKey() {
        Fixtures.Sealed sealed;
        try (EnvelopeEncryptor encryptor = encryptor(FRAME)) {
            sealed = Fixtures.seal(encryptor, new byte[100]);
        }
        // Claim layer 1 was wrapped under layer 2's key: KMS must refuse because Decrypt is pinned to that key.
        KeyBlock lying = new KeyBlock(
                new KeyBlock.WrappedKey(KeyProviderId.AWS_KMS, key2.arn(), sealed.keyBlock().layer1().wrappedDataKey()),
                sealed.keyBlock().layer2());
        EnvelopeException e = assertThrows(EnvelopeException.class, () -> decryptor().decrypt(sealed.object(), lying));
        assertEquals(EnvelopeException.Reason.WRONG_KEY_OR_CONTEXT, e.reason(), e.getMessage());
    }

    @Test
    void allowListAcceptsIdsArnsAndAliases() {
        Fixtures.Sealed sealed;
        try (EnvelopeEncryptor encryptor = encryptor(FRAME)) {
            sealed = Fixtures.seal(encryptor, new byte[5]);
        }
        for (List<String> allowed : List.of(List.of(key1.keyId(), key2.keyId()), List.of(key1.arn(), "alias/dsse-layer2"))) {
            EnvelopeDecryptor decryptor = EnvelopeDecryptor.builder().keyProvider(kms.provider).allowedKeyIds(allowed).build();
            assertArrayEquals(new byte[5], decryptor.decrypt(sealed.object(), sealed.keyBlock()), "allowed " + allowed);
        }
        EnvelopeDecryptor onlyLayer1 = EnvelopeDecryptor.builder().keyProvider(kms.provider).allowedKeyIds(List.of(key1.keyId())).build();
        EnvelopeException e = assertThrows(EnvelopeException.class, () -> onlyLayer1.decrypt(sealed.object(), sealed.keyBlock()));
        assertEquals(EnvelopeException.Reason.KEY_NOT_ALLOWED, e.reason());
    }

    @Test
    void rewrapKeepsBodyAndSurvivesOldKeyDisabled() throws IOException {
        LocalKeyMetadata old1 = kms.server.createKey("old layer 1");
        LocalKeyMetadata old2 = kms.server.createKey("old layer 2");
        LocalKeyMetadata new1 = kms.server.createKey("new layer 1");
        LocalKeyMetadata new2 = kms.server.createKey("new layer 2");
        byte[] plaintext = Fixtures.bytes(3 * FRAME + 100, 42);
        Fixtures.Sealed sealed;
        try (EnvelopeEncryptor encryptor = EnvelopeEncryptor.builder()
                .layer1(kms.provider, old1.keyId()).layer2(kms.provider, old2.keyId()).frameSize(FRAME).build()) {
            sealed = Fixtures.seal(encryptor, plaintext);
        }
        byte[] bodyBefore = sealed.object().clone();
        EnvelopeHeader header = EnvelopeHeader.parse(sealed.object());

        kms.server.resetCalls();
        KeyBlock rewrapped = new KeyRewrapper(kms.provider).rewrap(sealed.keyBlock(), header.encryptionContext(), new1.arn(), new2.keyId());
        assertEquals(2, kms.server.callCount("ReEncrypt"));
        assertEquals(0, kms.server.callCount("Decrypt"), "re-wrap must not unwrap data keys outside KMS");
        assertEquals(new1.arn(), rewrapped.layer1().keyId());
        assertEquals(new2.arn(), rewrapped.layer2().keyId());
        assertFalse(Arrays.equals(sealed.keyBlock().layer1().wrappedDataKey(), rewrapped.layer1().wrappedDataKey()));

        kms.server.disableKey(old1.keyId());
        kms.server.disableKey(old2.keyId());
        assertArrayEquals(bodyBefore, sealed.object(), "the body is not touched");
        assertArrayEquals(plaintext, decryptor().decrypt(sealed.object(), rewrapped));
        EnvelopeException oldBlock = assertThrows(EnvelopeException.class, () -> decryptor().decrypt(sealed.object(), sealed.keyBlock()));
        assertEquals(EnvelopeException.Reason.KEY_DISABLED, oldBlock.reason());

        KeyBlock again = new KeyRewrapper(kms.provider).rewrap(rewrapped, header.encryptionContext(), new1.keyId(), new2.arn());
        assertArrayEquals(rewrapped.toBytes(), again.toBytes(), "layers already on the target keys are kept as they are");
    }

    @Test
    void dataKeyReuseLimitsKmsCalls() {
        byte[] plaintext = new byte[1000];
        try (EnvelopeEncryptor fresh = encryptor(FRAME);
             EnvelopeEncryptor reusing = EnvelopeEncryptor.builder()
                     .layer1(kms.provider, key1.keyId()).layer2(kms.provider, key2.keyId()).frameSize(FRAME)
                     .dataKeyReuse(new DataKeyReusePolicy(5, Long.MAX_VALUE, java.time.Duration.ofHours(1))).build()) {
            kms.server.resetCalls();
            for (int i = 0; i < 10; i++) {
                Fixtures.seal(fresh, plaintext);
            }
            assertEquals(20, kms.server.callCount("GenerateDataKey"));

            kms.server.resetCalls();
            List<Fixtures.Sealed> objects = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                objects.add(Fixtures.seal(reusing, plaintext));
            }
            assertEquals(4, kms.server.callCount("GenerateDataKey"), "5 objects per data key pair");
            assertArrayEquals(objects.get(0).keyBlock().toBytes(), objects.get(4).keyBlock().toBytes());
            assertNotEquals(Arrays.toString(objects.get(4).keyBlock().toBytes()), Arrays.toString(objects.get(5).keyBlock().toBytes()));
            assertNotEquals(Arrays.toString(EnvelopeHeader.parse(objects.get(0).object()).salt()),
                    Arrays.toString(EnvelopeHeader.parse(objects.get(1).object()).salt()), "fresh salt per object");

            EnvelopeDecryptor caching = EnvelopeDecryptor.builder().keyProvider(kms.provider).build();
            kms.server.resetCalls();
            for (Fixtures.Sealed sealed : objects) {
                assertArrayEquals(plaintext, caching.decrypt(sealed.object(), sealed.keyBlock()));
            }
            assertEquals(4, kms.server.callCount("Decrypt"), "one Decrypt per layer per data key pair");
        }
    }

    @Test
    void missingKeyRejectedWithKeyName() {
        try (EnvelopeEncryptor encryptor = EnvelopeEncryptor.builder()
                .layer1(kms.provider, "alias/does-not-exist").layer2(kms.provider, key2.keyId()).build()) {
            EnvelopeException e = assertThrows(EnvelopeException.class, () -> Fixtures.seal(encryptor, new byte[1]));
            assertEquals(EnvelopeException.Reason.KEY_NOT_FOUND, e.reason());
            assertTrue(e.getMessage().contains("alias/does-not-exist"), e.getMessage());
        }
    }

    @Test
    void describeKeyReportsSymmetricAndState() {
        KeyProvider.KeyDescription description = kms.provider.describeKey("alias/dsse-layer2");
        assertEquals(key2.arn(), description.arn());
        assertTrue(description.enabled());
        assertTrue(description.symmetricEncryptDecrypt());
        LocalKeyMetadata signing = kms.server.createKey("signing", "RSA_2048", "SIGN_VERIFY");
        assertFalse(kms.provider.describeKey(signing.keyId()).symmetricEncryptDecrypt());
    }

    @Test
    void deniedKmsCallReportsAccessDenied() {
        kms.server.denyOperation("GenerateDataKey", key1.keyId());
        try (EnvelopeEncryptor encryptor = encryptor(FRAME)) {
            EnvelopeException e = assertThrows(EnvelopeException.class, () -> Fixtures.seal(encryptor, new byte[1]));
            assertEquals(EnvelopeException.Reason.ACCESS_DENIED, e.reason(), e.getMessage());
        } finally {
            kms.server.clearDenials();
        }
    }

    @Test
    void failedStreamWriteAbandonsObject() throws IOException {
        try (EnvelopeEncryptor encryptor = encryptor(FRAME)) {
            EncryptingOutputStream out = encryptor.open(OutputStream.nullOutputStream(), Fixtures.CONTEXT);
            out.write(new byte[10]);
            out.abandon();
            assertThrows(IOException.class, () -> out.write(1));
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

}
