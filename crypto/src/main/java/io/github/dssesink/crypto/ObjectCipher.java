package io.github.dssesink.crypto;

import javax.crypto.AEADBadTagException;

/**
 * Both layers keyed for one object. A frame is sealed by layer 1 (JCA) and then by layer 2 (Bouncy
 * Castle) over layer 1's output, with the same nonce and the same associated data (SHA-256 of the
 * header). Opening runs the other way and releases plaintext only when both tags verified.
 */
final class ObjectCipher implements AutoCloseable {
    private final EnvelopeHeader header;
    private final FrameCipher layer1;
    private final FrameCipher layer2;
    private final byte[] associatedData;
    private byte[] middle;

    ObjectCipher(EnvelopeHeader header, FrameCipher layer1, FrameCipher layer2) {
        this.header = header;
        this.layer1 = layer1;
        this.layer2 = layer2;
        this.associatedData = header.frameAssociatedData();
        this.middle = new byte[0];
    }

    EnvelopeHeader header() {
        return header;
    }

    /** Seals {@code length} plaintext bytes into {@code output}; returns {@code length + 32}. */
    int seal(byte[] nonce, byte[] input, int offset, int length, byte[] output, int outputOffset) {
        byte[] inner = middle(length + FrameCipher.TAG_SIZE_IN_BYTES);
        int innerLength = layer1.seal(nonce, associatedData, input, offset, length, inner, 0);
        return layer2.seal(nonce, associatedData, inner, 0, innerLength, output, outputOffset);
    }

    /**
     * Opens one sealed frame into {@code output}; returns the plaintext length.
     *
     * @throws AEADBadTagException when either layer's tag does not verify
     */
    int open(long index, boolean finalFrame, byte[] input, int offset, int length, byte[] output, int outputOffset)
            throws AEADBadTagException {
        if (length < FrameLayout.FRAME_OVERHEAD_IN_BYTES) {
            throw new AEADBadTagException("frame shorter than its two tags");
        }
        byte[] nonce = FrameNonces.nonce(index, finalFrame);
        byte[] inner = middle(length - FrameCipher.TAG_SIZE_IN_BYTES);
        int innerLength = layer2.open(nonce, associatedData, input, offset, length, inner, 0);
        return layer1.open(nonce, associatedData, inner, 0, innerLength, output, outputOffset);
    }

    private byte[] middle(int size) {
        if (middle.length < size) {
            middle = new byte[size];
        }
        return middle;
    }

    @Override
    public void close() {
        layer1.close();
        layer2.close();
        java.util.Arrays.fill(middle, (byte) 0);
    }
}
