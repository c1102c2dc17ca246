package io.github.dssesink.benchmarks;

import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One AES-256-GCM candidate alone: a message cut into frames, each frame one one-shot seal or open
 * with a 32-byte associated data, as one layer of the envelope does. One operation is one whole
 * message, so MB/s of plaintext = ops/s x {@code messageSizeInBytes} / 10^6.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SingleLayerBenchmark {
    @Param({"SUNJCE", "ACCP", "BC_LTS_NATIVE", "BC_LTS_JAVA"})
    GcmCandidate candidate;

    @Param({"65536", "1048576", "16777216"})
    int messageSizeInBytes;

    @Param({"65536", "262144", "1048576"})
    int frameSizeInBytes;

    private FrameGcm cipher;
    private byte[] associatedData;
    private byte[] message;
    private byte[] sealedMessage;
    private byte[] sealOutput;
    private byte[] openOutput;
    private int frameCount;
    private long nextNonce;

    @Setup
    public void setUp() throws GeneralSecurityException {
        candidate.prepare();
        JitWarmup.run(candidate);
        cipher = candidate.create(Bytes.random(32, 1));
        // JMH copies a fork's output to its log, which then records the implementation that ran.
        System.out.println("Candidate " + candidate + ": " + cipher.describe());
        associatedData = Bytes.random(32, 2);
        message = Bytes.random(messageSizeInBytes, 3);
        frameCount = Bytes.frameCount(messageSizeInBytes, frameSizeInBytes);
        sealOutput = new byte[messageSizeInBytes + frameCount * FrameGcm.TAG_SIZE_IN_BYTES];
        openOutput = new byte[messageSizeInBytes];

        // Decryption opens the same frames every time; frame i was sealed under nonce i.
        sealMessage(0);
        sealedMessage = sealOutput.clone();
        nextNonce = frameCount;
    }

    @Benchmark
    public int encrypt() throws GeneralSecurityException {
        // SunJCE rejects sealing twice in a row under the same key and nonce, so nonces keep counting.
        int written = sealMessage(nextNonce);
        nextNonce += frameCount;
        return written;
    }

    @Benchmark
    public int decrypt() throws GeneralSecurityException {
        int in = 0;
        int out = 0;
        for (int i = 0; i < frameCount; i++) {
            int plaintextLength = Math.min(frameSizeInBytes, messageSizeInBytes - out);
            int sealedLength = plaintextLength + FrameGcm.TAG_SIZE_IN_BYTES;
            out += cipher.open(Bytes.nonce(i), associatedData, sealedMessage, in, sealedLength, openOutput, out);
            in += sealedLength;
        }
        return out;
    }

    byte[] lastOpened() {
        return openOutput;
    }

    byte[] message() {
        return message;
    }

    private int sealMessage(long firstNonce) throws GeneralSecurityException {
        int in = 0;
        int out = 0;
        for (int i = 0; i < frameCount; i++) {
            int length = Math.min(frameSizeInBytes, messageSizeInBytes - in);
            out += cipher.seal(Bytes.nonce(firstNonce + i), associatedData, message, in, length, sealOutput, out);
            in += length;
        }
        return out;
    }
}
