package io.github.dssesink.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Both layers nested, through the library's public streams: {@code encrypt} writes one whole object
 * (header, data keys from a {@link io.github.dssesink.crypto.LocalKeyring}, all frames) to a
 * discarding stream, and {@code decrypt} reads one stored object back from memory. Per-object costs
 * (a fresh data key pair per object, key derivation, header) are included. MB/s of plaintext =
 * ops/s x {@code objectSizeInBytes} / 10^6.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EnvelopeBenchmark {
    static final int READ_BUFFER_SIZE_IN_BYTES = 64 * 1024;
    private static final int WARMUP_OBJECT_SIZE_IN_BYTES = 4 * JitWarmup.FRAME_SIZE_IN_BYTES;

    @Param({"PLAIN_COPY", "SUNJCE_THEN_BC_NATIVE", "ACCP_THEN_BC_NATIVE"})
    Pipeline pipeline;

    @Param({"65536", "1048576", "16777216"})
    int objectSizeInBytes;

    @Param({"65536", "262144", "1048576"})
    int frameSizeInBytes;

    private Pipeline.Session session;
    private byte[] plaintext;
    private Pipeline.StoredObject stored;
    private final byte[] readBuffer = new byte[READ_BUFFER_SIZE_IN_BYTES];
    private final Bytes.CountingSink sink = new Bytes.CountingSink();

    @Setup
    public void setUp() throws Exception {
        warmUpJit();
        session = pipeline.open(frameSizeInBytes);
        plaintext = Bytes.random(objectSizeInBytes, 21);
        stored = session.store(plaintext);
    }

    @TearDown
    public void tearDown() {
        session.close();
    }

    @Benchmark
    public long encrypt() throws IOException {
        return session.write(plaintext, sink);
    }

    @Benchmark
    public long decrypt() throws IOException {
        return session.read(stored, readBuffer);
    }

    Pipeline.Session session() {
        return session;
    }

    /** Runs objects of four 64 KiB frames through the same pipeline, for the reason given in {@link JitWarmup}. */
    private void warmUpJit() throws Exception {
        if (!JitWarmup.enabled() || pipeline == Pipeline.PLAIN_COPY) {
            return;
        }
        try (Pipeline.Session warmup = pipeline.open(JitWarmup.FRAME_SIZE_IN_BYTES)) {
            byte[] object = Bytes.random(WARMUP_OBJECT_SIZE_IN_BYTES, 22);
            Pipeline.StoredObject warmupStored = warmup.store(object);
            int objectCount = JitWarmup.FRAME_COUNT / (WARMUP_OBJECT_SIZE_IN_BYTES / JitWarmup.FRAME_SIZE_IN_BYTES);
            for (int i = 0; i < objectCount; i++) {
                warmup.write(object, sink);
                warmup.read(warmupStored, readBuffer);
            }
        }
    }
}
