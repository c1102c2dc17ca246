package io.github.dssesink.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * Encrypts a stream into one object: the header first, then one sealed frame each time a frame's
 * worth of plaintext is complete and more follows, and the final frame on {@link #finish()} or
 * {@link #close()}. Memory is at most about three frame buffers, whatever the object size, and
 * less for objects smaller than a frame, because the buffers grow with the data. Not thread-safe.
 */
public final class EncryptingOutputStream extends OutputStream {
    private static final int INITIAL_BUFFER_SIZE_IN_BYTES = 16 * 1024;

    private final OutputStream out;
    private final ObjectCipher cipher;
    private final KeyBlock keyBlock;
    private final FrameNonces nonces = new FrameNonces();
    private final int frameSize;
    private byte[] frame;
    private byte[] sealed;
    private final LongConsumer onFinish;
    private int filled;
    private long plaintextBytes;
    private long objectBytes;
    private boolean finished;
    private boolean closed;

    EncryptingOutputStream(OutputStream out, ObjectCipher cipher, KeyBlock keyBlock, LongConsumer onFinish) throws IOException {
        this.out = Objects.requireNonNull(out, "out");
        this.cipher = cipher;
        this.keyBlock = keyBlock;
        this.onFinish = onFinish;
        this.frameSize = cipher.header().frameSize();
        // Buffers start small and grow to the frame size, so small objects do not pay for large frames.
        this.frame = new byte[Math.min(frameSize, INITIAL_BUFFER_SIZE_IN_BYTES)];
        this.sealed = new byte[0];
        byte[] header = cipher.header().toBytes();
        out.write(header);
        objectBytes = header.length;
    }

    /** Returns the wrapped data keys; store them beside the object (S3 user metadata). */
    public KeyBlock keyBlock() {
        return keyBlock;
    }

    public EnvelopeHeader header() {
        return cipher.header();
    }

    public long plaintextBytes() {
        return plaintextBytes;
    }

    /** Returns the bytes written to the underlying stream so far, header included. */
    public long objectBytes() {
        return objectBytes;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (finished) {
            throw new IOException("Stream is finished: the final frame was already written");
        }
        while (len > 0) {
            // A full frame is sealed only once more data arrives, because the last frame must carry the final flag.
            if (filled == frameSize) {
                sealFrame(false);
            } else if (filled == frame.length) {
                frame = Arrays.copyOf(frame, Math.min(frameSize, frame.length * 2));
            }
            int n = Math.min(frame.length - filled, len);
            System.arraycopy(b, off, frame, filled, n);
            filled += n;
            off += n;
            len -= n;
            plaintextBytes += n;
        }
    }

    /** Writes the final frame and flushes, without closing the underlying stream. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        sealFrame(true);
        finished = true;
        out.flush();
        Arrays.fill(frame, (byte) 0);
        cipher.close();
        if (onFinish != null) {
            onFinish.accept(plaintextBytes);
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            finish();
        } finally {
            out.close();
        }
    }

    /**
     * Drops the stream without writing the final frame, so the partial output cannot decrypt. Use it
     * when the write failed and the object will be discarded.
     */
    public void abandon() {
        finished = true;
        closed = true;
        Arrays.fill(frame, (byte) 0);
        cipher.close();
    }

    private void sealFrame(boolean finalFrame) throws IOException {
        byte[] nonce = nonces.next(finalFrame);
        if (sealed.length < filled + FrameLayout.FRAME_OVERHEAD_IN_BYTES) {
            sealed = new byte[filled + FrameLayout.FRAME_OVERHEAD_IN_BYTES];
        }
        int length = cipher.seal(nonce, frame, 0, filled, sealed, 0);
        out.write(sealed, 0, length);
        objectBytes += length;
        filled = 0;
    }
}
