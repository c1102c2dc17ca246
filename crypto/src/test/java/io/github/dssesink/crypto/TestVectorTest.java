package io.github.dssesink.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the committed test vectors three ways. The library encrypts the fixed inputs to exactly
 * the expected bytes, and it decrypts them through the key block. An independent decoder written
 * from docs/format.md decodes them too, with the JDK alone (HMAC-SHA-256 for HKDF, JCA AES-GCM for
 * both layers).
 */
class TestVectorTest {
    private static final HexFormat HEX = HexFormat.of();
    private static JsonNode root;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = TestVectorTest.class.getResourceAsStream("/test-vectors/format-v1.json")) {
            root = new ObjectMapper().readTree(in);
        }
    }

    @Test
    void libraryEncryptsToExpectedBytes() throws IOException {
        LocalKeyring keyring = keyring();
        KeyBlock keyBlock = KeyBlock.fromBase64(root.get("keyBlock").asText());
        for (JsonNode vector : root.get("vectors")) {
            try (EnvelopeEncryptor encryptor = EnvelopeEncryptor.builder().layer1(keyring, "vector-layer1")
                    .layer2(keyring, "vector-layer2").frameSize(vector.get("frameSize").asInt()).build()) {
                ByteArrayOutputStream object = new ByteArrayOutputStream();
                try (EncryptingOutputStream out = encryptor.open(object, new TreeMap<>(context()), hex("layer1DataKey"),
                        hex("layer2DataKey"), hex("salt"), keyBlock, null)) {
                    out.write(HEX.parseHex(vector.get("plaintext").asText()));
                }
                assertEquals(vector.get("object").asText(), HEX.formatHex(object.toByteArray()), vector.get("name").asText());
            }
        }
    }

    @Test
    void libraryDecryptsVectors() {
        EnvelopeDecryptor decryptor = EnvelopeDecryptor.builder().keyProvider(keyring()).build();
        KeyBlock keyBlock = KeyBlock.fromBase64(root.get("keyBlock").asText());
        for (JsonNode vector : root.get("vectors")) {
            byte[] plaintext = decryptor.decrypt(HEX.parseHex(vector.get("object").asText()), keyBlock);
            assertEquals(vector.get("plaintext").asText(), HEX.formatHex(plaintext), vector.get("name").asText());
        }
    }

    @Test
    void independentDecoderDecodesVectors() throws GeneralSecurityException {
        byte[] salt = hex("salt");
        byte[] dk1 = hex("layer1DataKey");
        byte[] dk2 = hex("layer2DataKey");
        byte[] okm1 = hkdfSha256(dk1, salt, "DSSE-Sink v1 layer 1", 64);
        byte[] okm2 = hkdfSha256(dk2, salt, "DSSE-Sink v1 layer 2", 64);
        byte[] ikmHeader = ByteBuffer.allocate(64).put(dk1).put(dk2).array();
        byte[] headerKey = hkdfSha256(ikmHeader, salt, "DSSE-Sink v1 header", 32);
        assertEquals(root.get("layer1ContentKey").asText(), HEX.formatHex(okm1, 0, 32));
        assertEquals(root.get("layer1Commitment").asText(), HEX.formatHex(okm1, 32, 64));
        assertEquals(root.get("layer2ContentKey").asText(), HEX.formatHex(okm2, 0, 32));
        assertEquals(root.get("layer2Commitment").asText(), HEX.formatHex(okm2, 32, 64));
        assertEquals(root.get("headerKey").asText(), HEX.formatHex(headerKey));

        for (JsonNode vector : root.get("vectors")) {
            String name = vector.get("name").asText();
            ByteBuffer object = ByteBuffer.wrap(HEX.parseHex(vector.get("object").asText()));
            byte[] magic = new byte[4];
            object.get(magic);
            assertEquals("DSSE", new String(magic, StandardCharsets.US_ASCII), name);
            assertEquals(1, object.get(), "format version");
            assertEquals(1, object.get(), "suite");
            assertEquals(1, object.get(), "key block location");
            assertEquals(0, object.get(), "reserved");
            int frameSize = object.getInt();
            assertEquals(vector.get("frameSize").asInt(), frameSize);
            byte[] headerSalt = new byte[32];
            byte[] commitment1 = new byte[32];
            byte[] commitment2 = new byte[32];
            object.get(headerSalt).get(commitment1).get(commitment2);
            assertArrayEquals(salt, headerSalt);
            assertTrue(MessageDigest.isEqual(java.util.Arrays.copyOfRange(okm1, 32, 64), commitment1), "layer 1 commitment");
            assertTrue(MessageDigest.isEqual(java.util.Arrays.copyOfRange(okm2, 32, 64), commitment2), "layer 2 commitment");
            int contextLength = object.getShort() & 0xFFFF;
            ByteBuffer contextField = object.slice(object.position(), contextLength);
            object.position(object.position() + contextLength);
            assertEquals(context(), decodeContext(contextField));
            byte[] tag = new byte[32];
            object.get(tag);
            int headerLength = object.position();
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(headerKey, "HmacSHA256"));
            hmac.update(object.array(), 0, headerLength - 32);
            assertArrayEquals(hmac.doFinal(), tag, "header tag");
            byte[] associatedData = MessageDigest.getInstance("SHA-256").digest(java.util.Arrays.copyOf(object.array(), headerLength));

            ByteArrayOutputStream plaintext = new ByteArrayOutputStream();
            long index = 0;
            while (object.hasRemaining()) {
                int sealedLength = Math.min(object.remaining(), frameSize + 32);
                boolean finalFrame = sealedLength == object.remaining();
                byte[] sealed = new byte[sealedLength];
                object.get(sealed);
                byte[] nonce = ByteBuffer.allocate(12).position(7).putInt((int) index).put((byte) (finalFrame ? 1 : 0)).array();
                byte[] inner = gcmOpen(java.util.Arrays.copyOfRange(okm2, 0, 32), nonce, associatedData, sealed);
                plaintext.writeBytes(gcmOpen(java.util.Arrays.copyOfRange(okm1, 0, 32), nonce, associatedData, inner));
                index++;
            }
            assertEquals(vector.get("plaintext").asText(), HEX.formatHex(plaintext.toByteArray()), name);
        }
    }

    @Test
    void keyBlockDecodesToKeyringKeys() {
        KeyBlock keyBlock = KeyBlock.fromBase64(root.get("keyBlock").asText());
        assertEquals("vector-layer1", keyBlock.layer1().keyId());
        assertEquals(KeyProviderId.LOCAL_KEYRING, keyBlock.layer2().provider());
        byte[] unwrapped = keyring().decryptDataKey("vector-layer2", keyBlock.layer2().wrappedDataKey(),
                EnvelopeEncryptor.layerContext(context(), 2));
        assertArrayEquals(hex("layer2DataKey"), unwrapped);
    }

    private static byte[] gcmOpen(byte[] key, byte[] nonce, byte[] associatedData, byte[] sealed) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD(associatedData);
        return cipher.doFinal(sealed);
    }

    /** RFC 5869 HKDF with HMAC-SHA-256, written here from the RFC so the check does not reuse the library's HKDF. */
    private static byte[] hkdfSha256(byte[] ikm, byte[] salt, String info, int length) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt, "HmacSHA256"));
        byte[] prk = mac.doFinal(ikm);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        ByteArrayOutputStream okm = new ByteArrayOutputStream();
        byte[] previous = new byte[0];
        for (int counter = 1; okm.size() < length; counter++) {
            mac.update(previous);
            mac.update(info.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) counter);
            previous = mac.doFinal();
            okm.writeBytes(previous);
        }
        return java.util.Arrays.copyOf(okm.toByteArray(), length);
    }

    private static Map<String, String> decodeContext(ByteBuffer field) {
        Map<String, String> context = new LinkedHashMap<>();
        int count = field.getShort() & 0xFFFF;
        for (int i = 0; i < count; i++) {
            context.put(readString(field), readString(field));
        }
        assertEquals(0, field.remaining(), "no bytes after the context entries");
        return context;
    }

    private static String readString(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.getShort() & 0xFFFF];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static Map<String, String> context() {
        Map<String, String> context = new TreeMap<>();
        root.get("encryptionContext").properties().forEach(e -> context.put(e.getKey(), e.getValue().asText()));
        return context;
    }

    private static LocalKeyring keyring() {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        root.get("keyringMasterKeys").properties().forEach(e -> keys.put(e.getKey(), Base64.getDecoder().decode(e.getValue().asText())));
        return LocalKeyring.of(keys);
    }

    private static byte[] hex(String field) {
        return HEX.parseHex(root.get(field).asText());
    }
}
