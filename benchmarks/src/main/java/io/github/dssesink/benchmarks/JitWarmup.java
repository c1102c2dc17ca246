package io.github.dssesink.benchmarks;

import java.security.GeneralSecurityException;

/**
 * Runs 64 KiB frames through a cipher before measuring. HotSpot uses its AES-GCM intrinsic only in
 * JIT-compiled code, and the JIT compiles a method after enough calls, which a few seconds of JMH
 * warm-up may not make. Set the system property {@value #PROPERTY} to {@code false} to skip it.
 *
 * <p>NOTE: on JDK 17.0.15 this did not help 1 MiB frames: SunJCE still ran at 50-100 MB/s with
 * them, against 2,000-3,600 MB/s with 256 KiB frames.
 */
final class JitWarmup {
    static final String PROPERTY = "dsse.bench.jitWarmup";
    static final int FRAME_COUNT = 2_000;
    static final int FRAME_SIZE_IN_BYTES = 64 * 1024;

    private JitWarmup() {
    }

    static boolean enabled() {
        return Boolean.parseBoolean(System.getProperty(PROPERTY, "true"));
    }

    /** Seals and opens {@value #FRAME_COUNT} frames of {@value #FRAME_SIZE_IN_BYTES} bytes under a throwaway key. */
    static void run(GcmCandidate candidate) throws GeneralSecurityException {
        if (!enabled()) {
            return;
        }
        FrameGcm cipher = candidate.create(Bytes.random(32, 7));
        byte[] associatedData = Bytes.random(32, 8);
        byte[] plaintext = Bytes.random(FRAME_SIZE_IN_BYTES, 9);
        byte[] sealed = new byte[FRAME_SIZE_IN_BYTES + FrameGcm.TAG_SIZE_IN_BYTES];
        byte[] opened = new byte[FRAME_SIZE_IN_BYTES];
        for (int i = 0; i < FRAME_COUNT; i++) {
            byte[] nonce = Bytes.nonce(i);
            int length = cipher.seal(nonce, associatedData, plaintext, 0, plaintext.length, sealed, 0);
            cipher.open(nonce, associatedData, sealed, 0, length, opened, 0);
        }
    }
}
