package io.github.dssesink.crypto;

/**
 * Frame arithmetic of format version 1. Every frame on the wire is its plaintext plus two 16-byte
 * tags (layer 1 inside layer 2). All frames but the last contain exactly the frame size in plaintext.
 * The final frame contains 1 to frame size bytes, or 0 bytes when the whole object is empty, so an
 * object always has at least one frame.
 */
public final class FrameLayout {
    public static final int FRAME_OVERHEAD_IN_BYTES = 2 * FrameCipher.TAG_SIZE_IN_BYTES;

    private final int headerLength;
    private final int frameSize;
    private final long frameCount;
    private final long plaintextLength;

    private FrameLayout(int headerLength, int frameSize, long frameCount, long plaintextLength) {
        this.headerLength = headerLength;
        this.frameSize = frameSize;
        this.frameCount = frameCount;
        this.plaintextLength = plaintextLength;
    }

    /** Derives the layout from the stored object length, as S3 reports it in Content-Length. */
    public static FrameLayout ofObject(EnvelopeHeader header, long objectLength) {
        int frameSize = header.frameSize();
        long body = objectLength - header.lengthInBytes();
        long sealedFrame = (long) frameSize + FRAME_OVERHEAD_IN_BYTES;
        if (body < FRAME_OVERHEAD_IN_BYTES) {
            throw new EnvelopeException(EnvelopeException.Reason.TRUNCATED,
                    "Truncated object: " + objectLength + " bytes leave no room for the final frame after the "
                            + header.lengthInBytes() + "-byte header");
        }
        long frames = (body + sealedFrame - 1) / sealedFrame;
        long lastSealed = body - (frames - 1) * sealedFrame;
        if (lastSealed < FRAME_OVERHEAD_IN_BYTES || (lastSealed == FRAME_OVERHEAD_IN_BYTES && frames > 1)) {
            throw new EnvelopeException(EnvelopeException.Reason.TRUNCATED, "Invalid object length " + objectLength
                    + ": the last frame would hold " + (lastSealed - FRAME_OVERHEAD_IN_BYTES) + " bytes");
        }
        if (frames > FrameNonces.MAX_FRAME_COUNT) {
            throw new EnvelopeException(EnvelopeException.Reason.HEADER, "Invalid object length " + objectLength
                    + ": it would need " + frames + " frames, more than the format allows");
        }
        return new FrameLayout(header.lengthInBytes(), frameSize, frames, body - frames * FRAME_OVERHEAD_IN_BYTES);
    }

    /** Returns the stored object length for a plaintext length. */
    public static long objectLength(int headerLength, int frameSize, long plaintextLength) {
        long frames = plaintextLength == 0 ? 1 : (plaintextLength + frameSize - 1) / frameSize;
        return headerLength + plaintextLength + frames * FRAME_OVERHEAD_IN_BYTES;
    }

    public long frameCount() {
        return frameCount;
    }

    public long plaintextLength() {
        return plaintextLength;
    }

    public int frameSize() {
        return frameSize;
    }

    /** Returns the offset of frame {@code index} in the stored object. */
    public long frameOffset(long index) {
        return headerLength + index * ((long) frameSize + FRAME_OVERHEAD_IN_BYTES);
    }

    /** Returns the stored length of frame {@code index}, tags included. */
    public int sealedFrameLength(long index) {
        if (index < frameCount - 1) {
            return frameSize + FRAME_OVERHEAD_IN_BYTES;
        }
        return (int) (plaintextLength - (frameCount - 1) * frameSize) + FRAME_OVERHEAD_IN_BYTES;
    }
}
