package io.github.dssesink.crypto;

/**
 * One AES-256-GCM implementation, keyed for one object and one layer. Instances are not
 * thread-safe: each stream owns its own. The format code does not depend on the implementation,
 * so another primitive plugs in here without touching the stream code.
 */
interface FrameCipher extends AutoCloseable {
    int TAG_SIZE_IN_BYTES = 16;
    int NONCE_SIZE_IN_BYTES = 12;

    /** Encrypts {@code length} bytes and writes ciphertext then tag; returns {@code length + 16}. */
    int seal(byte[] nonce, byte[] associatedData, byte[] input, int offset, int length, byte[] output, int outputOffset);

    /**
     * Decrypts and verifies ciphertext followed by its tag; returns the plaintext length. Nothing is
     * written to {@code output} unless the tag verifies.
     *
     * @throws javax.crypto.AEADBadTagException when the tag does not verify
     */
    int open(byte[] nonce, byte[] associatedData, byte[] input, int offset, int length, byte[] output, int outputOffset)
            throws javax.crypto.AEADBadTagException;

    /** Wipes the content key. */
    @Override
    void close();
}
