package io.github.dssesink.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import javax.crypto.Cipher;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

import io.github.dssesink.crypto.DecryptingInputStream;
import io.github.dssesink.crypto.EncryptingOutputStream;
import io.github.dssesink.crypto.EnvelopeDecryptor;
import io.github.dssesink.crypto.EnvelopeEncryptor;
import io.github.dssesink.crypto.KeyBlock;
import io.github.dssesink.crypto.LocalKeyring;

/**
 * The ways {@link EnvelopeBenchmark} writes an object and reads it back: a plain framed copy without
 * encryption, or the library's two-layer streams with layer 1 on SunJCE or ACCP and layer 2 on
 * Bouncy Castle LTS native.
 */
public enum Pipeline {
    /**
     * The stream plumbing without encryption: plaintext is copied into a frame buffer and written
     * frame by frame, and read back frame by frame into the caller's buffer, as the library's streams
     * do around the ciphers.
     */
    PLAIN_COPY {
        @Override
        Session open(int frameSizeInBytes) {
            return new PlainCopySession(frameSizeInBytes);
        }
    },

    SUNJCE_THEN_BC_NATIVE {
        @Override
        Session open(int frameSizeInBytes) throws Exception {
            String defaultProvider = Cipher.getInstance(GcmCandidate.TRANSFORMATION).getProvider().getName();
            if (!"SunJCE".equals(defaultProvider)) {
                // The decryptor takes the JDK's first AES/GCM provider, so it would not measure SunJCE.
                throw new IllegalStateException("The preferred AES/GCM provider is " + defaultProvider
                        + ", not SunJCE; run each pipeline in its own fork (JMH -f 1 or more)");
            }
            return new EnvelopeSession(frameSizeInBytes, "SunJCE");
        }
    },

    ACCP_THEN_BC_NATIVE {
        @Override
        Session open(int frameSizeInBytes) throws Exception {
            GcmCandidate.installCorretto();
            return new EnvelopeSession(frameSizeInBytes, AmazonCorrettoCryptoProvider.PROVIDER_NAME);
        }
    };

    static final Map<String, String> ENCRYPTION_CONTEXT = Map.of("topic", "benchmark");

    /** Sets up the JVM-wide state and the keys for objects with this frame size. */
    abstract Session open(int frameSizeInBytes) throws Exception;

    /** Writes and reads objects with fixed settings; one instance per benchmark trial. */
    interface Session extends AutoCloseable {
        /** Writes {@code plaintext} as one object to {@code sink}; returns the object's size in bytes. */
        long write(byte[] plaintext, Bytes.CountingSink sink) throws IOException;

        /** Returns a stored object of {@code plaintext}, in this session's format. */
        StoredObject store(byte[] plaintext) throws IOException;

        /** Reads {@code object} back to plaintext through {@code buffer}; returns the plaintext byte count. */
        long read(StoredObject object, byte[] buffer) throws IOException;

        @Override
        default void close() {
        }
    }

    /** An object as stored: its bytes and, for encrypted objects, its key block. */
    record StoredObject(byte[] bytes, KeyBlock keyBlock) {
    }

    private static final class PlainCopySession implements Session {
        private final int frameSizeInBytes;

        PlainCopySession(int frameSizeInBytes) {
            this.frameSizeInBytes = frameSizeInBytes;
        }

        @Override
        public long write(byte[] plaintext, Bytes.CountingSink sink) {
            byte[] frame = new byte[frameSizeInBytes];
            long written = 0;
            for (int offset = 0; offset < plaintext.length; offset += frameSizeInBytes) {
                int length = Math.min(frameSizeInBytes, plaintext.length - offset);
                System.arraycopy(plaintext, offset, frame, 0, length);
                sink.write(frame, 0, length);
                written += length;
            }
            return written;
        }

        @Override
        public StoredObject store(byte[] plaintext) {
            return new StoredObject(plaintext.clone(), null);
        }

        @Override
        public long read(StoredObject object, byte[] buffer) throws IOException {
            InputStream in = new ByteArrayInputStream(object.bytes());
            byte[] frame = new byte[frameSizeInBytes];
            long total = 0;
            int frameLength;
            while ((frameLength = in.readNBytes(frame, 0, frame.length)) > 0) {
                for (int position = 0; position < frameLength; position += buffer.length) {
                    int length = Math.min(buffer.length, frameLength - position);
                    System.arraycopy(frame, position, buffer, 0, length);
                    total += length;
                }
            }
            return total;
        }
    }

    private static final class EnvelopeSession implements Session {
        private final EnvelopeEncryptor encryptor;
        private final EnvelopeDecryptor decryptor;

        EnvelopeSession(int frameSizeInBytes, String layer1Provider) {
            if (!EnvelopeEncryptor.isLayer2Native()) {
                throw new IllegalStateException("Bouncy Castle native AES-GCM is not available; layer 2 would run in pure Java");
            }
            LocalKeyring keyring = LocalKeyring.of(Map.of("k1", Bytes.random(32, 11), "k2", Bytes.random(32, 12)));
            this.encryptor = EnvelopeEncryptor.builder()
                    .layer1(keyring, "k1")
                    .layer2(keyring, "k2")
                    .frameSize(frameSizeInBytes)
                    .layer1JcaProvider(layer1Provider)
                    .build();
            this.decryptor = EnvelopeDecryptor.builder().keyProvider(keyring).layer1JcaProvider(layer1Provider).build();
        }

        @Override
        public long write(byte[] plaintext, Bytes.CountingSink sink) throws IOException {
            EncryptingOutputStream out = encryptor.open(sink, ENCRYPTION_CONTEXT);
            try (out) {
                out.write(plaintext);
            }
            return out.objectBytes();
        }

        @Override
        public StoredObject store(byte[] plaintext) throws IOException {
            ByteArrayOutputStream object = new ByteArrayOutputStream(plaintext.length + 4096);
            KeyBlock keyBlock;
            try (EncryptingOutputStream out = encryptor.open(object, ENCRYPTION_CONTEXT)) {
                out.write(plaintext);
                keyBlock = out.keyBlock();
            }
            return new StoredObject(object.toByteArray(), keyBlock);
        }

        @Override
        public long read(StoredObject object, byte[] buffer) throws IOException {
            long total = 0;
            try (DecryptingInputStream in = decryptor.open(new ByteArrayInputStream(object.bytes()), object.keyBlock())) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    total += n;
                }
            }
            return total;
        }

        @Override
        public void close() {
            encryptor.close();
        }
    }
}
