package io.github.dssesink.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Derives per-object keys from data keys with HKDF-SHA-256 (RFC 5869), so that a data key reused
 * across objects still gives every object fresh content keys: the salt is random per object.
 *
 * <ul>
 *   <li>layer L (1 or 2): {@code HKDF(ikm = data key L, salt, info = "DSSE-Sink v1 layer L", 64)};
 *       bytes 0..31 are the content key, bytes 32..63 the commitment stored in the header.</li>
 *   <li>header key: {@code HKDF(ikm = data key 1 || data key 2, salt, info = "DSSE-Sink v1 header", 32)}.</li>
 * </ul>
 */
final class KeyDerivation {
    static final int DATA_KEY_SIZE_IN_BYTES = 32;
    static final int CONTENT_KEY_SIZE_IN_BYTES = 32;

    private KeyDerivation() {
    }

    /** Content key and commitment of one layer. */
    record LayerKeys(byte[] contentKey, byte[] commitment) {
        void destroy() {
            Arrays.fill(contentKey, (byte) 0);
        }
    }

    static LayerKeys layerKeys(int layer, byte[] dataKey, byte[] salt) {
        checkDataKey(dataKey);
        byte[] okm = hkdf(dataKey, salt, "DSSE-Sink v1 layer " + layer, 64);
        LayerKeys keys = new LayerKeys(Arrays.copyOfRange(okm, 0, 32), Arrays.copyOfRange(okm, 32, 64));
        Arrays.fill(okm, (byte) 0);
        return keys;
    }

    static byte[] headerKey(byte[] layer1DataKey, byte[] layer2DataKey, byte[] salt) {
        checkDataKey(layer1DataKey);
        checkDataKey(layer2DataKey);
        byte[] ikm = new byte[64];
        System.arraycopy(layer1DataKey, 0, ikm, 0, 32);
        System.arraycopy(layer2DataKey, 0, ikm, 32, 32);
        byte[] key = hkdf(ikm, salt, "DSSE-Sink v1 header", 32);
        Arrays.fill(ikm, (byte) 0);
        return key;
    }

    static byte[] headerTag(byte[] headerKey, byte[] headerBytes) {
        HMac hmac = new HMac(new SHA256Digest());
        hmac.init(new KeyParameter(headerKey));
        hmac.update(headerBytes, 0, headerBytes.length);
        byte[] tag = new byte[hmac.getMacSize()];
        hmac.doFinal(tag, 0);
        return tag;
    }

    static boolean commitmentMatches(byte[] expected, byte[] actual) {
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] hkdf(byte[] ikm, byte[] salt, String info, int length) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(ikm, salt, info.getBytes(StandardCharsets.US_ASCII)));
        byte[] okm = new byte[length];
        hkdf.generateBytes(okm, 0, length);
        return okm;
    }

    private static void checkDataKey(byte[] dataKey) {
        if (dataKey == null || dataKey.length != DATA_KEY_SIZE_IN_BYTES) {
            throw new EnvelopeException(EnvelopeException.Reason.KEY_BLOCK,
                    "Invalid data key: expected " + DATA_KEY_SIZE_IN_BYTES + " bytes, got "
                            + (dataKey == null ? "none" : dataKey.length));
        }
    }
}
