package io.github.dssesink.crypto;

import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.Security;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Layer 1: AES-256-GCM through the JCA {@link Cipher} API, by default the JDK's SunJCE provider with
 * its AES-NI and CLMUL intrinsics. Another installed provider (for example Amazon Corretto Crypto
 * Provider) can be named instead.
 *
 * <p>Each frame is one {@code init} and one {@code doFinal}, so SunJCE authenticates per frame
 * instead of buffering the whole message, which it does across repeated {@code update} calls on
 * decrypt.
 */
final class JcaFrameCipher implements FrameCipher {
    static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final Cipher cipher;
    private final SecretKeySpec key;
    private final byte[] keyBytes;

    JcaFrameCipher(String providerName, byte[] contentKey) {
        this.cipher = newCipher(providerName);
        this.keyBytes = contentKey.clone();
        this.key = new SecretKeySpec(keyBytes, "AES");
    }

    static Cipher newCipher(String providerName) {
        try {
            if (providerName == null || providerName.isEmpty()) {
                return Cipher.getInstance(TRANSFORMATION);
            }
            if (Security.getProvider(providerName) == null) {
                throw new EnvelopeException(EnvelopeException.Reason.INVALID_ARGUMENT, "JCA provider '" + providerName
                        + "' is not installed; install it with java.security.Security.addProvider or leave the provider empty for the JDK default");
            }
            return Cipher.getInstance(TRANSFORMATION, providerName);
        } catch (NoSuchAlgorithmException | NoSuchPaddingException | NoSuchProviderException e) {
            throw new EnvelopeException(EnvelopeException.Reason.INVALID_ARGUMENT,
                    "JCA provider '" + providerName + "' does not offer " + TRANSFORMATION, e);
        }
    }

    @Override
    public int seal(byte[] nonce, byte[] associatedData, byte[] input, int offset, int length, byte[] output, int outputOffset) {
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_SIZE_IN_BYTES * 8, nonce));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(input, offset, length, output, outputOffset);
        } catch (ShortBufferException e) {
            throw new IllegalStateException("Frame buffer too small", e);
        } catch (GeneralSecurityException e) {
            throw new EnvelopeException(EnvelopeException.Reason.INVALID_ARGUMENT,
                    "Layer 1 AES-GCM encryption failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int open(byte[] nonce, byte[] associatedData, byte[] input, int offset, int length, byte[] output, int outputOffset)
            throws AEADBadTagException {
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_SIZE_IN_BYTES * 8, nonce));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(input, offset, length, output, outputOffset);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (ShortBufferException e) {
            throw new IllegalStateException("Frame buffer too small", e);
        } catch (GeneralSecurityException e) {
            throw new EnvelopeException(EnvelopeException.Reason.INVALID_ARGUMENT,
                    "Layer 1 AES-GCM decryption failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        Arrays.fill(keyBytes, (byte) 0);
    }

    static String providerName(String requested) {
        return requested == null || requested.isEmpty() ? newCipher(null).getProvider().getName() : requested;
    }
}
