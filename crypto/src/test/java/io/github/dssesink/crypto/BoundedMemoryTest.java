package io.github.dssesink.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Encrypts and decrypts 1 GiB in a child JVM limited to a 64 MiB heap: the streams must hold about
 * a frame at a time, whatever the object size.
 */
class BoundedMemoryTest {
    private static final long SIZE = 1L << 30;

    @Test
    void gibibyteStreamsUnder64MebibyteHeap() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-Xmx64m", "-XX:+UseSerialGC",
                "-Daws.disableEc2Metadata=true", "-cp", System.getProperty("java.class.path"),
                BoundedMemoryTest.class.getName())
                .redirectErrorStream(true);
        builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        Process process = builder.start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "child JVM timed out");
        assertEquals(0, process.exitValue(), output);
        List<String> lines = output.lines().filter(l -> l.startsWith("RESULT ")).toList();
        assertEquals(1, lines.size(), output);
        String[] fields = lines.get(0).split(" ");
        assertEquals(Long.toString(SIZE), fields[1], "plaintext bytes decrypted");
        assertEquals(fields[2], fields[3], "SHA-256 of decrypted plaintext equals that of the input");
    }

    /** Child JVM: pipes 1 GiB through encryption and decryption and prints sizes and digests. */
    public static void main(String[] args) throws Exception {
        LocalKeyring keyring = Fixtures.keyring();
        PipedInputStream pipeIn = new PipedInputStream(1 << 20);
        PipedOutputStream pipeOut = new PipedOutputStream(pipeIn);
        MessageDigest written = MessageDigest.getInstance("SHA-256");
        MessageDigest read = MessageDigest.getInstance("SHA-256");
        try (EnvelopeEncryptor encryptor = EnvelopeEncryptor.builder()
                .layer1(keyring, "layer1-key").layer2(keyring, "layer2-key").frameSize(1 << 20).build()) {
            EncryptingOutputStream encrypting = encryptor.open(pipeOut, Map.of("purpose", "bounded-memory-test"));
            KeyBlock keyBlock = encrypting.keyBlock();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> writeAll(encrypting, written));
            long total = 0;
            try (InputStream in = EnvelopeDecryptor.builder().keyProvider(keyring).build().open(pipeIn, keyBlock)) {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    read.update(buffer, 0, n);
                    total += n;
                }
            }
            writer.join();
            HexFormat hex = HexFormat.of();
            System.out.println("RESULT " + total + " " + hex.formatHex(written.digest()) + " " + hex.formatHex(read.digest()));
        }
    }

    private static void writeAll(OutputStream out, MessageDigest digest) {
        byte[] chunk = new byte[1 << 20];
        try (out) {
            for (long written = 0; written < SIZE; written += chunk.length) {
                // Different bytes per chunk, so a repeated or dropped frame changes the digest.
                long value = written;
                for (int i = 0; i < chunk.length; i += 8) {
                    value = value * 6364136223846793005L + 1442695040888963407L;
                    chunk[i] = (byte) value;
                    chunk[i + 3] = (byte) (value >>> 24);
                }
                digest.update(chunk);
                out.write(chunk);
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }
}
