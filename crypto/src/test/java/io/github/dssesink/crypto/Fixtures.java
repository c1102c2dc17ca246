package io.github.dssesink.crypto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Random;

/** Shared keys, contexts and helpers of the crypto tests. */
final class Fixtures {
    static final Map<String, String> CONTEXT = Map.of(
            "dsse-sink:purpose", "kafka-connect-s3-sink",
            "dsse-sink:connector", "orders-archive",
            "dsse-sink:topic", "orders");

    private Fixtures() {
    }

    static LocalKeyring keyring() {
        return LocalKeyring.of(Map.of("layer1-key", bytes(32, 1), "layer2-key", bytes(32, 2), "layer1-next", bytes(32, 3),
                "layer2-next", bytes(32, 4)));
    }

    static EnvelopeEncryptor encryptor(KeyProvider provider, int frameSize) {
        return EnvelopeEncryptor.builder()
                .layer1(provider, "layer1-key")
                .layer2(provider, "layer2-key")
                .frameSize(frameSize)
                .build();
    }

    static EnvelopeDecryptor decryptor(KeyProvider provider) {
        return EnvelopeDecryptor.builder().keyProvider(provider).unwrappedKeyCacheSize(0).build();
    }

    /** An encrypted object and the key block stored beside it. */
    record Sealed(byte[] object, KeyBlock keyBlock) {
    }

    static Sealed seal(EnvelopeEncryptor encryptor, byte[] plaintext) {
        return seal(encryptor, plaintext, CONTEXT);
    }

    static Sealed seal(EnvelopeEncryptor encryptor, byte[] plaintext, Map<String, String> context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (EncryptingOutputStream stream = encryptor.open(out, context)) {
            stream.write(plaintext);
            stream.close();
            return new Sealed(out.toByteArray(), stream.keyBlock());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Returns deterministic pseudo-random bytes. */
    static byte[] bytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
