package io.github.dssesink.crypto;

import java.util.Arrays;

import javax.crypto.AEADBadTagException;

import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.bouncycastle.crypto.NativeServices;
import org.bouncycastle.crypto.PacketCipherException;
import org.bouncycastle.crypto.modes.AESGCMModePacketCipher;
import org.bouncycastle.crypto.modes.AESGCMPacketCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Layer 2: AES-256-GCM through Bouncy Castle's own packet cipher API (not through JCA), from the
 * LTS build {@code bcprov-lts8on}. On x86-64 Linux it runs Bouncy Castle's native AES-GCM; elsewhere
 * it falls back to Bouncy Castle's pure-Java GCM, which is about 100 times slower (see
 * docs/benchmarks.md), so {@link #isNative()} is logged and exposed as a metric.
 *
 * <p>The one-shot packet API verifies the tag before it writes any plaintext, and avoids the
 * background clean-up cost of the stateful native GCM.
 */
final class BouncyCastleFrameCipher implements FrameCipher {
    private final AESGCMModePacketCipher cipher = AESGCMPacketCipher.newInstance();
    private final byte[] keyBytes;
    private final KeyParameter key;

    BouncyCastleFrameCipher(byte[] contentKey) {
        this.keyBytes = contentKey.clone();
        this.key = new KeyParameter(keyBytes);
    }

    /** Returns true when Bouncy Castle's native AES-GCM packet cipher is loaded and enabled. */
    static boolean isNative() {
        return CryptoServicesRegistrar.isNativeEnabled()
                && CryptoServicesRegistrar.hasEnabledService(NativeServices.AES_GCM_PC);
    }

    /** Returns Bouncy Castle's description of its native library, for logs. */
    static String nativeStatus() {
        NativeServices services = CryptoServicesRegistrar.getNativeServices();
        return services.getStatusMessage() + ", variant " + services.getVariant();
    }

    @Override
    public int seal(byte[] nonce, byte[] associatedData, byte[] input, int offset, int length, byte[] output, int outputOffset) {
        try {
            return cipher.processPacket(true, new AEADParameters(key, TAG_SIZE_IN_BYTES * 8, nonce, associatedData),
                    input, offset, length, output, outputOffset);
        } catch (PacketCipherException e) {
            throw new EnvelopeException(EnvelopeException.Reason.INVALID_ARGUMENT,
                    "Layer 2 AES-GCM encryption failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int open(byte[] nonce, byte[] associatedData, byte[] input, int offset, int length, byte[] output, int outputOffset)
            throws AEADBadTagException {
        try {
            return cipher.processPacket(false, new AEADParameters(key, TAG_SIZE_IN_BYTES * 8, nonce, associatedData),
                    input, offset, length, output, outputOffset);
        } catch (PacketCipherException e) {
            if (e.getReason() == PacketCipherException.Reason.INVALID_CIPHERTEXT) {
                AEADBadTagException badTag = new AEADBadTagException("layer 2 tag mismatch");
                badTag.initCause(e);
                throw badTag;
            }
            throw new EnvelopeException(EnvelopeException.Reason.INVALID_ARGUMENT,
                    "Layer 2 AES-GCM decryption failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        Arrays.fill(keyBytes, (byte) 0);
    }
}
