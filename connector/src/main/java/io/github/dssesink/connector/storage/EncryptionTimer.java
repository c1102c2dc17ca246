package io.github.dssesink.connector.storage;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Measures the time an object's encryption stream spends on its own work: the time in its write
 * and finish calls minus the time those calls spend in the stream below it, which uploads a part
 * whenever one fills. It costs two {@link System#nanoTime()} calls per write call on each side,
 * not per byte. Not thread-safe.
 */
final class EncryptionTimer {

    /** Performs one step of the encryption stream, such as finish. */
    @FunctionalInterface
    interface EncryptionStep {
        void run() throws IOException;
    }

    private long nanos;
    private boolean inEncryption;

    /** Wraps the encryption stream, so that the time of every write call on it is counted. */
    OutputStream timeWrites(OutputStream encryption) {
        return new FilterOutputStream(encryption) {
            @Override
            public void write(int b) throws IOException {
                time(() -> out.write(b));
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                time(() -> out.write(b, off, len));
            }
        };
    }

    /** Wraps the stream the encryption writes into, so that the time spent below the encryption is not counted. */
    OutputStream excludeWrites(OutputStream upload) {
        return new FilterOutputStream(upload) {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (!inEncryption) {
                    out.write(b, off, len);
                    return;
                }
                long start = System.nanoTime();
                try {
                    out.write(b, off, len);
                } finally {
                    nanos -= System.nanoTime() - start;
                }
            }
        };
    }

    /** Runs a step of the encryption stream and counts its time. */
    void time(EncryptionStep step) throws IOException {
        long start = System.nanoTime();
        inEncryption = true;
        try {
            step.run();
        } finally {
            inEncryption = false;
            nanos += System.nanoTime() - start;
        }
    }

    /** Returns the nanoseconds counted since the last call and starts counting from zero. */
    long takeNanos() {
        long taken = nanos;
        nanos = 0;
        return taken;
    }
}
