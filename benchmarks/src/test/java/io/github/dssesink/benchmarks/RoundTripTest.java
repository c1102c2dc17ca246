package io.github.dssesink.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.security.Security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

/**
 * Checks that each benchmark round-trips its bytes, on small sizes and without JIT warm-up. Timing
 * is not checked. Candidates change JVM-wide state, so each test undoes it: native Bouncy Castle on,
 * ACCP removed from the provider list.
 */
class RoundTripTest {
    private static final int FRAME = 65536;

    @Test
    void candidatesRoundTripMessage() throws Exception {
        System.setProperty(JitWarmup.PROPERTY, "false");
        try {
            for (GcmCandidate candidate : new GcmCandidate[] {
                    GcmCandidate.SUNJCE, GcmCandidate.ACCP, GcmCandidate.BC_LTS_NATIVE, GcmCandidate.BC_LTS_JAVA}) {
                SingleLayerBenchmark benchmark = new SingleLayerBenchmark();
                benchmark.candidate = candidate;
                benchmark.messageSizeInBytes = 3 * FRAME + 17;
                benchmark.frameSizeInBytes = FRAME;
                benchmark.setUp();

                assertEquals(benchmark.messageSizeInBytes + 4 * 16, benchmark.encrypt(), candidate + " sealed length");
                assertEquals(benchmark.messageSizeInBytes, benchmark.decrypt(), candidate + " opened length");
                assertArrayEquals(benchmark.message(), benchmark.lastOpened(), candidate + " plaintext");
            }
        } finally {
            GcmCandidate.BC_LTS_NATIVE.prepare();
            Security.removeProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME);
            System.clearProperty(JitWarmup.PROPERTY);
        }
    }

    @ParameterizedTest
    @EnumSource(Pipeline.class)
    void pipelineRoundTripsObject(Pipeline pipeline) throws Exception {
        byte[] plaintext = Bytes.random(2 * FRAME + 5, 31);
        try (Pipeline.Session session = pipeline.open(FRAME)) {
            // Decryption succeeding means both layers' tags verified for every frame.
            Pipeline.StoredObject stored = session.store(plaintext);
            long objectSize = session.write(plaintext, new Bytes.CountingSink());

            assertEquals(stored.bytes().length, objectSize, "object size");
            assertEquals(plaintext.length, session.read(stored, new byte[EnvelopeBenchmark.READ_BUFFER_SIZE_IN_BYTES]), "plaintext length");
            if (pipeline != Pipeline.PLAIN_COPY) {
                assertNotEquals(plaintext.length, stored.bytes().length, "encrypted object has a header and tags");
            }
        } finally {
            Security.removeProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME);
        }
    }
}
