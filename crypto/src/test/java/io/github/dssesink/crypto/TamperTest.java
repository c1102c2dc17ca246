package io.github.dssesink.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TamperTest {
    private static final int FRAME = 64;
    private final LocalKeyring keyring = Fixtures.keyring();
    private EnvelopeEncryptor encryptor;
    private EnvelopeDecryptor decryptor;
    private byte[] plaintext;
    private Fixtures.Sealed sealed;
    private int headerLength;

    @BeforeEach
    void sealThreeFrames() {
        encryptor = Fixtures.encryptor(keyring, FRAME);
        decryptor = Fixtures.decryptor(keyring);
        plaintext = Fixtures.bytes(2 * FRAME + 20, 3);
        sealed = Fixtures.seal(encryptor, plaintext);
        headerLength = EnvelopeHeader.parse(sealed.object()).lengthInBytes();
        assertEquals(3, FrameLayout.ofObject(EnvelopeHeader.parse(sealed.object()), sealed.object().length).frameCount());
    }

    @Test
    void everySingleByteFlipRejected() {
        byte[] object = sealed.object();
        Set<EnvelopeException.Reason> headerReasons = EnumSet.of(EnvelopeException.Reason.HEADER,
                EnvelopeException.Reason.UNSUPPORTED_VERSION, EnvelopeException.Reason.COMMITMENT,
                EnvelopeException.Reason.WRONG_KEY_OR_CONTEXT, EnvelopeException.Reason.TRUNCATED);
        for (int i = 0; i < object.length; i++) {
            for (int bit : new int[] {0x01, 0x80}) {
                byte[] tampered = object.clone();
                tampered[i] ^= (byte) bit;
                EnvelopeException e = assertThrows(EnvelopeException.class,
                        () -> decryptor.decrypt(tampered, sealed.keyBlock()), "flip of bit " + bit + " at byte " + i);
                if (i < headerLength) {
                    assertTrue(headerReasons.contains(e.reason()), "byte " + i + " in header gave " + e.reason() + ": " + e.getMessage());
                } else {
                    assertEquals(EnvelopeException.Reason.FRAME, e.reason(), "byte " + i + " in frames: " + e.getMessage());
                    long frame = (i - headerLength) / (FRAME + 32);
                    assertTrue(e.getMessage().startsWith("Frame " + frame + " "), e.getMessage());
                }
            }
        }
    }

    @Test
    void truncationAtEveryFrameBoundaryRejected() {
        byte[] object = sealed.object();
        for (int frames = 0; frames < 3; frames++) {
            int cut = headerLength + frames * (FRAME + 32);
            byte[] truncated = Arrays.copyOf(object, cut);
            EnvelopeException e = assertThrows(EnvelopeException.class, () -> decryptor.decrypt(truncated, sealed.keyBlock()));
            assertEquals(EnvelopeException.Reason.TRUNCATED, e.reason(), "cut after " + frames + " frames: " + e.getMessage());
        }
    }

    @Test
    void truncationAtEveryByteRejected() {
        byte[] object = sealed.object();
        for (int cut = 0; cut < object.length; cut++) {
            byte[] truncated = Arrays.copyOf(object, cut);
            assertThrows(EnvelopeException.class, () -> decryptor.decrypt(truncated, sealed.keyBlock()), "cut at " + cut);
        }
    }

    @Test
    void appendedBytesRejected() {
        byte[] extended = Arrays.copyOf(sealed.object(), sealed.object().length + 40);
        EnvelopeException e = assertThrows(EnvelopeException.class, () -> decryptor.decrypt(extended, sealed.keyBlock()));
        assertEquals(EnvelopeException.Reason.FRAME, e.reason());
    }

    @Test
    void frameSwapRejected() {
        byte[] object = sealed.object().clone();
        int sealedFrame = FRAME + 32;
        byte[] first = Arrays.copyOfRange(object, headerLength, headerLength + sealedFrame);
        System.arraycopy(object, headerLength + sealedFrame, object, headerLength, sealedFrame);
        System.arraycopy(first, 0, object, headerLength + sealedFrame, sealedFrame);
        EnvelopeException e = assertThrows(EnvelopeException.class, () -> decryptor.decrypt(object, sealed.keyBlock()));
        assertEquals(EnvelopeException.Reason.FRAME, e.reason());
        assertTrue(e.getMessage().startsWith("Frame 0 failed authentication"), e.getMessage());
    }

    @Test
    void frameFromOtherObjectRejected() {
        Fixtures.Sealed other = Fixtures.seal(encryptor, plaintext);
        byte[] object = sealed.object().clone();
        System.arraycopy(other.object(), headerLength, object, headerLength, FRAME + 32);
        EnvelopeException e = assertThrows(EnvelopeException.class, () -> decryptor.decrypt(object, sealed.keyBlock()));
        assertEquals(EnvelopeException.Reason.FRAME, e.reason());
    }

    @Test
    void wrappedKeySwapBetweenObjectsRejected() {
        Fixtures.Sealed other = Fixtures.seal(encryptor, plaintext);
        for (int layer = 1; layer <= 2; layer++) {
            KeyBlock mixed = layer == 1
                    ? new KeyBlock(other.keyBlock().layer1(), sealed.keyBlock().layer2())
                    : new KeyBlock(sealed.keyBlock().layer1(), other.keyBlock().layer2());
            EnvelopeException e = assertThrows(EnvelopeException.class, () -> decryptor.decrypt(sealed.object(), mixed));
            assertEquals(EnvelopeException.Reason.COMMITMENT, e.reason());
            assertTrue(e.getMessage().contains("layer " + layer), e.getMessage());
        }
        EnvelopeException whole = assertThrows(EnvelopeException.class,
                () -> decryptor.decrypt(sealed.object(), other.keyBlock()));
        assertEquals(EnvelopeException.Reason.COMMITMENT, whole.reason());
    }

    @Test
    void layerKeysSwappedWithinObjectRejected() {
        KeyBlock swapped = new KeyBlock(sealed.keyBlock().layer2(), sealed.keyBlock().layer1());
        EnvelopeException e = assertThrows(EnvelopeException.class, () -> decryptor.decrypt(sealed.object(), swapped));
        assertEquals(EnvelopeException.Reason.WRONG_KEY_OR_CONTEXT, e.reason(), e.getMessage());
    }

    @Test
    void wrongEncryptionContextRejected() {
        // Same length value, so only the key service's context check can notice.
        byte[] object = sealed.object().clone();
        byte[] from = "orders".getBytes(StandardCharsets.UTF_8);
        byte[] to = "ordery".getBytes(StandardCharsets.UTF_8);
        int at = indexOf(object, from, 0, headerLength);
        assertTrue(at > 0, "context value not found in header");
        System.arraycopy(to, 0, object, at, to.length);
        EnvelopeException e = assertThrows(EnvelopeException.class, () -> decryptor.decrypt(object, sealed.keyBlock()));
        assertEquals(EnvelopeException.Reason.WRONG_KEY_OR_CONTEXT, e.reason(), e.getMessage());
    }

    @Test
    void requiredContextMismatchRejected() {
        EnvelopeDecryptor strict = EnvelopeDecryptor.builder().keyProvider(keyring)
                .requiredContext(Map.of("dsse-sink:topic", "payments")).build();
        EnvelopeException e = assertThrows(EnvelopeException.class, () -> strict.decrypt(sealed.object(), sealed.keyBlock()));
        assertEquals(EnvelopeException.Reason.CONTEXT_MISMATCH, e.reason());
        assertTrue(e.getMessage().contains("'dsse-sink:topic' is 'orders'"), e.getMessage());

        EnvelopeDecryptor matching = EnvelopeDecryptor.builder().keyProvider(keyring)
                .requiredContext(Map.of("dsse-sink:topic", "orders")).build();
        assertArrayEquals(plaintext, matching.decrypt(sealed.object(), sealed.keyBlock()));
    }

    @Test
    void disabledKeyRejected() {
        keyring.disableKey("layer2-key");
        EnvelopeException e = assertThrows(EnvelopeException.class, () -> decryptor.decrypt(sealed.object(), sealed.keyBlock()));
        assertEquals(EnvelopeException.Reason.KEY_DISABLED, e.reason());
        assertTrue(e.getMessage().contains("layer2-key"), e.getMessage());
        keyring.enableKey("layer2-key");
        assertArrayEquals(plaintext, decryptor.decrypt(sealed.object(), sealed.keyBlock()));
    }

    @Test
    void unknownVersionRejectedWithVersion() {
        byte[] object = sealed.object().clone();
        object[4] = 7;
        EnvelopeException e = assertThrows(EnvelopeException.class, () -> decryptor.decrypt(object, sealed.keyBlock()));
        assertEquals(EnvelopeException.Reason.UNSUPPORTED_VERSION, e.reason());
        assertEquals("Unsupported format version 7: this library reads version 1", e.getMessage());
    }

    @Test
    void plainObjectRejected() {
        byte[] notEncrypted = "{\"id\":1}\n".repeat(40).getBytes(StandardCharsets.UTF_8);
        EnvelopeException e = assertThrows(EnvelopeException.class, () -> decryptor.decrypt(notEncrypted, sealed.keyBlock()));
        assertEquals(EnvelopeException.Reason.HEADER, e.reason());
        assertTrue(e.getMessage().contains("not a DSSE Sink encrypted object"), e.getMessage());
    }

    @Test
    void allowListRejectsOtherKeys() {
        EnvelopeDecryptor allowOnlyNext = EnvelopeDecryptor.builder().keyProvider(keyring)
                .allowedKeyIds(List.of("layer1-key", "layer2-next")).build();
        EnvelopeException e = assertThrows(EnvelopeException.class, () -> allowOnlyNext.decrypt(sealed.object(), sealed.keyBlock()));
        assertEquals(EnvelopeException.Reason.KEY_NOT_ALLOWED, e.reason());
        assertTrue(e.getMessage().startsWith("Layer 2 key 'layer2-key' is not on the decrypt allow-list"), e.getMessage());

        long callsBefore = keyring.callCount();
        assertThrows(EnvelopeException.class, () -> allowOnlyNext.decrypt(sealed.object(), sealed.keyBlock()));
        assertEquals(callsBefore, keyring.callCount(), "a key that is not allowed must not reach the key service");

        EnvelopeDecryptor allowBoth = EnvelopeDecryptor.builder().keyProvider(keyring)
                .allowedKeyIds(List.of("layer1-key", "layer2-key")).build();
        assertArrayEquals(plaintext, allowBoth.decrypt(sealed.object(), sealed.keyBlock()));
    }

    @Test
    void keyBlockFlipsRejected() {
        byte[] block = sealed.keyBlock().toBytes();
        for (int i = 0; i < block.length; i++) {
            byte[] tampered = block.clone();
            tampered[i] ^= 0x01;
            KeyBlock parsed;
            try {
                parsed = KeyBlock.fromBytes(tampered);
            } catch (EnvelopeException e) {
                continue;
            }
            assertThrows(EnvelopeException.class, () -> decryptor.decrypt(sealed.object(), parsed), "key block byte " + i);
        }
    }

    @Test
    void reservedContextKeyRejected() {
        Map<String, String> context = new HashMap<>(Fixtures.CONTEXT);
        context.put(EnvelopeEncryptor.LAYER_CONTEXT_KEY, "1");
        EnvelopeException e = assertThrows(EnvelopeException.class, () -> Fixtures.seal(encryptor, plaintext, context));
        assertEquals(EnvelopeException.Reason.INVALID_ARGUMENT, e.reason());
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from, int to) {
        for (int i = from; i + needle.length <= to; i++) {
            if (ByteBuffer.wrap(haystack, i, needle.length).equals(ByteBuffer.wrap(needle))) {
                return i;
            }
        }
        return -1;
    }
}
