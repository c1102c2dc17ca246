package io.github.dssesink.benchmarks;

import java.security.GeneralSecurityException;
import java.security.Security;
import java.util.Locale;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.bouncycastle.crypto.NativeServices;
import org.bouncycastle.crypto.PacketCipherException;
import org.bouncycastle.crypto.modes.AESGCMModePacketCipher;
import org.bouncycastle.crypto.modes.AESGCMPacketCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

/**
 * The AES-256-GCM implementations compared for the two layers.
 *
 * <p>{@link #prepare()} changes JVM-wide state (installed JCA providers, Bouncy Castle's native
 * switch), so each candidate must run in its own JVM: JMH forks one per parameter combination, and
 * a run with {@code -f 0} mixes them up.
 */
public enum GcmCandidate {
    /** The JDK's provider, with HotSpot's AES and GHASH intrinsics once the JIT has compiled it. */
    SUNJCE {
        @Override
        FrameGcm create(byte[] key) throws GeneralSecurityException {
            return new JcaGcm("SunJCE", key);
        }
    },

    /** Amazon Corretto Crypto Provider (AWS-LC), installed as a JCA provider. */
    ACCP {
        @Override
        void prepare() {
            installCorretto();
        }

        @Override
        FrameGcm create(byte[] key) throws GeneralSecurityException {
            return new JcaGcm(AmazonCorrettoCryptoProvider.PROVIDER_NAME, key);
        }
    },

    /** Bouncy Castle LTS one-shot packet cipher with its native AES-GCM (the library's layer 2). */
    BC_LTS_NATIVE {
        @Override
        void prepare() {
            CryptoServicesRegistrar.setNativeEnabled(true);
            if (!CryptoServicesRegistrar.hasEnabledService(NativeServices.AES_GCM_PC)) {
                throw new IllegalStateException("Bouncy Castle native AES-GCM packet cipher is not available: "
                        + CryptoServicesRegistrar.getNativeServices().getStatusMessage());
            }
        }

        @Override
        FrameGcm create(byte[] key) {
            return new BouncyCastleGcm(key, "native");
        }
    },

    /**
     * Bouncy Castle LTS packet cipher with native code switched off for the whole JVM, so
     * {@link AESGCMPacketCipher#newInstance()} returns the pure-Java implementation: the fallback
     * on platforms without the native library.
     */
    BC_LTS_JAVA {
        @Override
        void prepare() {
            CryptoServicesRegistrar.setNativeEnabled(false);
        }

        @Override
        FrameGcm create(byte[] key) {
            return new BouncyCastleGcm(key, "[Java]");
        }
    };

    static final String TRANSFORMATION = "AES/GCM/NoPadding";

    /** Sets up the JVM-wide state this candidate needs; call once per JVM before {@link #create}. */
    void prepare() {
    }

    /** Creates a cipher keyed with a 32-byte AES key. */
    abstract FrameGcm create(byte[] key) throws GeneralSecurityException;

    /**
     * Installs Amazon Corretto Crypto Provider as the most preferred JCA provider, so it also serves
     * {@code Cipher.getInstance} calls that name no provider (as the library's decryptor makes).
     */
    static void installCorretto() {
        if (Security.getProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME) == null) {
            AmazonCorrettoCryptoProvider.install();
        }
        AmazonCorrettoCryptoProvider.INSTANCE.assertHealthy();
    }

    private static final class JcaGcm implements FrameGcm {
        private final Cipher cipher;
        private final SecretKeySpec key;

        JcaGcm(String provider, byte[] key) throws GeneralSecurityException {
            this.cipher = Cipher.getInstance(TRANSFORMATION, provider);
            this.key = new SecretKeySpec(key, "AES");
        }

        @Override
        public int seal(byte[] nonce, byte[] associatedData, byte[] input, int offset, int length, byte[] output, int outputOffset)
                throws GeneralSecurityException {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_SIZE_IN_BYTES * 8, nonce));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(input, offset, length, output, outputOffset);
        }

        @Override
        public int open(byte[] nonce, byte[] associatedData, byte[] input, int offset, int length, byte[] output, int outputOffset)
                throws GeneralSecurityException {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_SIZE_IN_BYTES * 8, nonce));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(input, offset, length, output, outputOffset);
        }

        @Override
        public String describe() {
            return cipher.getProvider().getName() + " " + cipher.getProvider().getVersionStr();
        }
    }

    private static final class BouncyCastleGcm implements FrameGcm {
        private final AESGCMModePacketCipher cipher = AESGCMPacketCipher.newInstance();
        private final KeyParameter key;

        BouncyCastleGcm(byte[] key, String expectedMarker) {
            this.key = new KeyParameter(key);
            // The switch is JVM-wide and read when the cipher is created: check that it took effect.
            if (!cipher.toString().toLowerCase(Locale.ROOT).contains(expectedMarker.toLowerCase(Locale.ROOT))) {
                throw new IllegalStateException("Expected a Bouncy Castle " + expectedMarker + " GCM, got " + cipher);
            }
        }

        @Override
        public int seal(byte[] nonce, byte[] associatedData, byte[] input, int offset, int length, byte[] output, int outputOffset)
                throws GeneralSecurityException {
            try {
                return cipher.processPacket(true, new AEADParameters(key, TAG_SIZE_IN_BYTES * 8, nonce, associatedData),
                        input, offset, length, output, outputOffset);
            } catch (PacketCipherException e) {
                throw new GeneralSecurityException("Bouncy Castle GCM encryption failed: " + e, e);
            }
        }

        @Override
        public int open(byte[] nonce, byte[] associatedData, byte[] input, int offset, int length, byte[] output, int outputOffset)
                throws GeneralSecurityException {
            try {
                return cipher.processPacket(false, new AEADParameters(key, TAG_SIZE_IN_BYTES * 8, nonce, associatedData),
                        input, offset, length, output, outputOffset);
            } catch (PacketCipherException e) {
                if (e.getReason() == PacketCipherException.Reason.INVALID_CIPHERTEXT) {
                    throw (AEADBadTagException) new AEADBadTagException("Bouncy Castle tag mismatch").initCause(e);
                }
                throw new GeneralSecurityException("Bouncy Castle GCM decryption failed: " + e, e);
            }
        }

        @Override
        public String describe() {
            return cipher + " (" + CryptoServicesRegistrar.getNativeServices().getStatusMessage()
                    + ", variant " + CryptoServicesRegistrar.getNativeServices().getVariant() + ")";
        }
    }
}
