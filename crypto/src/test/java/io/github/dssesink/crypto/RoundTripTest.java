package io.github.dssesink.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RoundTripTest {
    private static final int FRAME = 4096;
    private final LocalKeyring keyring = Fixtures.keyring();

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, FRAME - 1, FRAME, FRAME + 1, 3 * FRAME, 3 * FRAME + 17})
    void roundTripAtFrameEdges(int size) {
        byte[] plaintext = Fixtures.bytes(size, size);
        try (EnvelopeEncryptor encryptor = Fixtures.encryptor(keyring, FRAME)) {
            Fixtures.Sealed sealed = Fixtures.seal(encryptor, plaintext);

            long frames = size == 0 ? 1 : (size + FRAME - 1) / FRAME;
            int headerLength = EnvelopeHeader.parse(sealed.object()).lengthInBytes();
            assertEquals(headerLength + size + frames * 32, sealed.object().length, "object length");
            assertEquals(sealed.object().length, FrameLayout.objectLength(headerLength, FRAME, size));
            assertArrayEquals(plaintext, Fixtures.decryptor(keyring).decrypt(sealed.object(), sealed.keyBlock()));
        }
    }

    @Test
    void ciphertextHidesPlaintext() {
        byte[] plaintext = new byte[3 * FRAME];
        try (EnvelopeEncryptor encryptor = Fixtures.encryptor(keyring, FRAME)) {
            byte[] object = Fixtures.seal(encryptor, plaintext).object();
            byte[] body = Arrays.copyOfRange(object, object.length - 3 * (FRAME + 32), object.length);
            // All-zero plaintext: no frame may contain a long zero run if both layers encrypted it.
            assertFalse(containsZeroRun(body, 32), "ciphertext contains plaintext-like zero runs");
        }
    }

    @Test
    void sameInputTwiceGivesDifferentObjects() {
        byte[] plaintext = Fixtures.bytes(1000, 7);
        try (EnvelopeEncryptor encryptor = Fixtures.encryptor(keyring, FRAME)) {
            byte[] first = Fixtures.seal(encryptor, plaintext).object();
            byte[] second = Fixtures.seal(encryptor, plaintext).object();
            assertEquals(first.length, second.length);
            assertFalse(Arrays.equals(first, second), "two objects with equal plaintext must differ (fresh salt and keys)");
        }
    }

    @Test
    void hundredMebibytesStreamed() throws IOException {
        int size = 100 * 1024 * 1024;
        MessageDigest expected = sha256();
        MessageDigest actual = sha256();
        ByteArrayOutputStream object = new ByteArrayOutputStream(size + 64 * 1024);
        KeyBlock keyBlock;
        try (EnvelopeEncryptor encryptor = EnvelopeEncryptor.builder()
                .layer1(keyring, "layer1-key").layer2(keyring, "layer2-key").build();
             EncryptingOutputStream out = encryptor.open(object, Fixtures.CONTEXT)) {
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i < 100; i++) {
                Arrays.fill(chunk, (byte) i);
                chunk[i] = (byte) 0xA5;
                expected.update(chunk);
                out.write(chunk);
            }
            out.close();
            keyBlock = out.keyBlock();
            assertEquals(size, out.plaintextBytes());
        }
        long decrypted = 0;
        try (InputStream in = Fixtures.decryptor(keyring).open(new ByteArrayInputStream(object.toByteArray()), keyBlock)) {
            byte[] buffer = new byte[70_000];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                actual.update(buffer, 0, n);
                decrypted += n;
            }
        }
        assertEquals(size, decrypted);
        assertArrayEquals(expected.digest(), actual.digest());
    }

    @Test
    void singleByteWritesRoundTrip() throws IOException {
        byte[] plaintext = Fixtures.bytes(FRAME + 5, 11);
        ByteArrayOutputStream object = new ByteArrayOutputStream();
        try (EnvelopeEncryptor encryptor = Fixtures.encryptor(keyring, FRAME);
             EncryptingOutputStream out = encryptor.open(object, Fixtures.CONTEXT)) {
            for (byte b : plaintext) {
                out.write(b);
            }
            out.close();
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            try (InputStream in = Fixtures.decryptor(keyring).open(new ByteArrayInputStream(object.toByteArray()), out.keyBlock())) {
                int b;
                while ((b = in.read()) >= 0) {
                    back.write(b);
                }
            }
            assertArrayEquals(plaintext, back.toByteArray());
        }
    }

    private static boolean containsZeroRun(byte[] bytes, int run) {
        int zeros = 0;
        for (byte b : bytes) {
            zeros = b == 0 ? zeros + 1 : 0;
            if (zeros >= run) {
                return true;
            }
        }
        return false;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
