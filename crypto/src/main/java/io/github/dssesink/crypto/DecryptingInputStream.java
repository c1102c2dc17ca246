package io.github.dssesink.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;

/**
 * Decrypts an object frame by frame. Each frame's plaintext is released only after both layers'
 * tags verified. The final frame is the one followed by end of stream, and it must carry the final
 * flag, so truncation at a frame boundary, a missing final frame, appended data, swapped or
 * modified frames all raise {@link EnvelopeException} (wrapped in an {@link IOException} by the
 * {@code read} methods, which {@link InputStream} requires). Not thread-safe.
 */
public final class DecryptingInputStream extends InputStream {
    private final InputStream in;
    private final ObjectCipher cipher;
    private final byte[] sealed;
    private final byte[] plain;
    private final FrameLayout layout;
    private final long lastIndex;
    private long nextIndex;
    private int position;
    private int limit;
    private int lookahead = -1;
    private boolean done;

    /** Decrypts a whole object from the frame after the header; the final frame is found at end of stream. */
    DecryptingInputStream(InputStream in, ObjectCipher cipher) {
        this(in, cipher, null, 0, Long.MAX_VALUE);
    }

    /**
     * Decrypts frames {@code firstIndex} to {@code lastIndex} of an object whose length, and so
     * whose final frame, is known from {@code layout}.
     */
    DecryptingInputStream(InputStream in, ObjectCipher cipher, FrameLayout layout, long firstIndex, long lastIndex) {
        this.in = in;
        this.cipher = cipher;
        this.layout = layout;
        this.lastIndex = lastIndex;
        int frameSize = cipher.header().frameSize();
        this.sealed = new byte[frameSize + FrameLayout.FRAME_OVERHEAD_IN_BYTES];
        this.plain = new byte[frameSize];
        this.nextIndex = firstIndex;
    }

    public EnvelopeHeader header() {
        return cipher.header();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (position == limit) {
            if (done) {
                return -1;
            }
            try {
                readFrame();
            } catch (EnvelopeException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        int n = Math.min(len, limit - position);
        System.arraycopy(plain, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return limit - position;
    }

    @Override
    public void close() throws IOException {
        Arrays.fill(plain, (byte) 0);
        cipher.close();
        in.close();
    }

    private void readFrame() throws IOException {
        if (layout != null) {
            readKnownFrame();
            return;
        }
        int length = 0;
        if (lookahead >= 0) {
            sealed[0] = (byte) lookahead;
            length = 1;
            lookahead = -1;
        }
        length += in.readNBytes(sealed, length, sealed.length - length);
        boolean finalFrame;
        if (length < sealed.length) {
            finalFrame = true;
        } else {
            lookahead = in.read();
            finalFrame = lookahead < 0;
        }
        if (length < FrameLayout.FRAME_OVERHEAD_IN_BYTES || (finalFrame && length == FrameLayout.FRAME_OVERHEAD_IN_BYTES && nextIndex > 0)) {
            throw truncated("the object ends inside frame " + nextIndex + " or right after frame " + (nextIndex - 1)
                    + ", before a final frame");
        }
        try {
            limit = cipher.open(nextIndex, finalFrame, sealed, 0, length, plain, 0);
        } catch (AEADBadTagException e) {
            throw frameFailure(nextIndex, finalFrame, length, e);
        }
        position = 0;
        nextIndex++;
        done = finalFrame;
    }

    private void readKnownFrame() throws IOException {
        int expected = layout.sealedFrameLength(nextIndex);
        int length = in.readNBytes(sealed, 0, expected);
        if (length < expected) {
            throw truncated("frame " + nextIndex + " ends after " + length + " of its " + expected + " bytes");
        }
        boolean finalFrame = nextIndex == layout.frameCount() - 1;
        try {
            limit = cipher.open(nextIndex, finalFrame, sealed, 0, length, plain, 0);
        } catch (AEADBadTagException e) {
            throw new EnvelopeException(EnvelopeException.Reason.FRAME,
                    "Frame " + nextIndex + " failed authentication: the object was modified, reordered or truncated", e);
        }
        position = 0;
        done = finalFrame || nextIndex == lastIndex;
        nextIndex++;
    }

    private EnvelopeException frameFailure(long index, boolean finalFrame, int length, AEADBadTagException cause) {
        // Telling truncation from modification: a frame that verifies as non-final but sits at the end was cut off after it.
        if (finalFrame && length == sealed.length) {
            try {
                cipher.open(index, false, sealed, 0, length, new byte[plain.length], 0);
                return truncated("frame " + index + " is intact but is not the final frame; the rest of the object is missing");
            } catch (AEADBadTagException ignored) {
                // Not a truncation: fall through to the authentication failure.
            }
        }
        return new EnvelopeException(EnvelopeException.Reason.FRAME,
                "Frame " + index + " failed authentication: the object was modified, reordered or extended", cause);
    }

    private static EnvelopeException truncated(String detail) {
        return new EnvelopeException(EnvelopeException.Reason.TRUNCATED, "Truncated object: " + detail);
    }
}
