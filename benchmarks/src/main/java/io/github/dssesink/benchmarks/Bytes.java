package io.github.dssesink.benchmarks;

import java.io.OutputStream;
import java.util.Objects;
import java.util.SplittableRandom;

/** Test data and nonces for the benchmarks. */
final class Bytes {
    private Bytes() {
    }

    /** Returns {@code size} pseudo-random bytes, the same for the same seed; not for keys outside benchmarks. */
    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    /** Returns a 12-byte GCM nonce: four zero bytes, then {@code counter} big-endian. */
    static byte[] nonce(long counter) {
        byte[] nonce = new byte[FrameGcm.NONCE_SIZE_IN_BYTES];
        for (int i = 0; i < Long.BYTES; i++) {
            nonce[nonce.length - 1 - i] = (byte) (counter >>> (8 * i));
        }
        return nonce;
    }

    /** Returns the number of frames that hold {@code messageSize} bytes; an empty message still has one. */
    static int frameCount(int messageSize, int frameSize) {
        return Math.max(1, (messageSize + frameSize - 1) / frameSize);
    }

    /**
     * An output stream that drops what it is given but counts it, and ignores {@code close}, so one
     * instance serves every benchmark invocation.
     */
    static final class CountingSink extends OutputStream {
        private long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            count += len;
        }

        long count() {
            return count;
        }
    }
}
