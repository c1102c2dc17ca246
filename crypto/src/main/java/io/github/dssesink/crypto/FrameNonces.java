package io.github.dssesink.crypto;

/**
 * The nonce sequence of one object: 7 zero bytes, the frame index as an unsigned 32-bit
 * big-endian integer, then the final-frame flag (0x01 on the last frame, else 0x00). Both layers
 * use the same nonce under different content keys, and content keys are fresh per object (random
 * salt), so a (key, nonce) pair never repeats.
 *
 * <p>On encryption {@link #next(boolean)} is the only way to obtain a nonce, so an index cannot be
 * used twice and nothing follows the final frame. Because the flag is in the nonce, a truncated
 * object fails authentication at its new last frame.
 */
final class FrameNonces {
    static final long MAX_FRAME_COUNT = 0xFFFF_FFFFL + 1;

    private long nextIndex;
    private boolean finished;

    /** Returns the nonce of the next frame and advances. */
    byte[] next(boolean finalFrame) {
        if (finished) {
            throw new EnvelopeException(EnvelopeException.Reason.INVALID_ARGUMENT, "The final frame was already written");
        }
        if (nextIndex >= MAX_FRAME_COUNT) {
            throw new EnvelopeException(EnvelopeException.Reason.INVALID_ARGUMENT,
                    "Object too large: more than " + MAX_FRAME_COUNT + " frames; use a larger frame size");
        }
        finished = finalFrame;
        return nonce(nextIndex++, finalFrame);
    }

    long framesWritten() {
        return nextIndex;
    }

    /** Returns the nonce of frame {@code index}; for decryption, where frames may be read out of order. */
    static byte[] nonce(long index, boolean finalFrame) {
        byte[] nonce = new byte[FrameCipher.NONCE_SIZE_IN_BYTES];
        nonce[7] = (byte) (index >>> 24);
        nonce[8] = (byte) (index >>> 16);
        nonce[9] = (byte) (index >>> 8);
        nonce[10] = (byte) index;
        nonce[11] = (byte) (finalFrame ? 1 : 0);
        return nonce;
    }
}
