package io.github.dssesink.benchmarks;

import java.security.GeneralSecurityException;

/**
 * One AES-256-GCM implementation keyed once, sealing and opening one frame per call (one-shot:
 * one init and one final per frame, 16-byte tag appended). Not thread-safe.
 */
interface FrameGcm {
    int TAG_SIZE_IN_BYTES = 16;
    int NONCE_SIZE_IN_BYTES = 12;

    /** Encrypts {@code length} bytes and writes ciphertext then tag; returns {@code length + 16}. */
    int seal(byte[] nonce, byte[] associatedData, byte[] input, int offset, int length, byte[] output, int outputOffset)
            throws GeneralSecurityException;

    /** Decrypts and verifies ciphertext followed by its tag; returns the plaintext length. */
    int open(byte[] nonce, byte[] associatedData, byte[] input, int offset, int length, byte[] output, int outputOffset)
            throws GeneralSecurityException;

    /** Returns the implementation's own description, to check which code path runs. */
    String describe();
}
