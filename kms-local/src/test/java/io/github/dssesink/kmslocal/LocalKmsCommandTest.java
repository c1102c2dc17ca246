package io.github.dssesink.kmslocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;

/** The command line of LocalKmsServer.main. */
class LocalKmsCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void parseDefaults() throws Exception {
        LocalKmsCommand.Options options = LocalKmsCommand.parse(new String[0]);

        assertEquals(0, options.port());
        assertEquals("us-east-1", options.region());
        assertEquals("111122223333", options.accountId());
        assertEquals(List.of(), options.aliases());
        assertEquals(3600, options.stopAfterSeconds());
        assertFalse(options.stopOnStdinEof());
        assertFalse(options.help());
    }

    @Test
    void parseAllOptions() throws Exception {
        LocalKmsCommand.Options options = LocalKmsCommand.parse(new String[] {
            "--port", "18443", "--region", "eu-west-1", "--account", "444455556666",
            "--create-key", "orders", "--create-key", "alias/invoices",
            "--stop-after-seconds", "30", "--stop-on-stdin-eof"});

        assertEquals(18443, options.port());
        assertEquals("eu-west-1", options.region());
        assertEquals("444455556666", options.accountId());
        assertEquals(List.of("alias/orders", "alias/invoices"), options.aliases());
        assertEquals(30, options.stopAfterSeconds());
        assertTrue(options.stopOnStdinEof());
    }

    @Test
    void parseRejectsInvalidOptions() {
        List<String[]> invalid = List.of(
                new String[] {"--bogus"},
                new String[] {"--port"},
                new String[] {"--port", "http"},
                new String[] {"--port", "70000"},
                new String[] {"--stop-after-seconds", "0"},
                new String[] {"--account", "12345"},
                new String[] {"--region", "Mars"},
                new String[] {"--create-key", "has space"},
                new String[] {"--create-key", "aws/reserved"},
                new String[] {"--create-key", "orders", "--create-key", "alias/orders"});
        for (String[] args : invalid) {
            LocalKmsCommand.UsageException error = assertThrows(LocalKmsCommand.UsageException.class,
                    () -> LocalKmsCommand.parse(args));
            assertFalse(error.getMessage().isEmpty(), String.join(" ", args));
        }
    }

    @Test
    void runRejectsUnknownOption() {
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();

        int status = LocalKmsCommand.run(new String[] {"--bogus"}, InputStream.nullInputStream(),
                new PrintStream(OutputStream.nullOutputStream()), new PrintStream(stderr, true, StandardCharsets.UTF_8));

        assertEquals(2, status);
        String message = stderr.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("Unknown option '--bogus'"), message);
        assertTrue(message.contains("--help"), message);
    }

    @Test
    void runPrintsHelp() {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();

        int status = LocalKmsCommand.run(new String[] {"--help"}, InputStream.nullInputStream(),
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(OutputStream.nullOutputStream()));

        assertEquals(0, status);
        String help = stdout.toString(StandardCharsets.UTF_8);
        for (String option : List.of("--port", "--region", "--account", "--create-key", "--stop-after-seconds",
                "--stop-on-stdin-eof")) {
            assertTrue(help.contains(option), option);
        }
    }

    @Test
    @Timeout(30)
    void runServesCreatedKeysUntilStdinEnds() throws Exception {
        PipedOutputStream stdinWriter = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(stdinWriter);
        LineCollector stdout = new LineCollector();
        String[] args = {"--region", "eu-west-1", "--account", "444455556666",
            "--create-key", "orders", "--create-key", "alias/invoices", "--stop-on-stdin-eof"};

        CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> LocalKmsCommand.run(
                args, stdin, new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err));
        JsonNode line = JSON.readTree(stdout.nextLine());

        URI endpoint = URI.create(line.get("endpoint").textValue());
        assertEquals("127.0.0.1", endpoint.getHost());
        assertEquals("eu-west-1", line.get("region").textValue());
        assertEquals("444455556666", line.get("accountId").textValue());
        JsonNode keys = line.get("keys");
        assertEquals(2, keys.size());
        assertEquals("alias/orders", keys.get(0).get("alias").textValue());
        assertEquals("alias/invoices", keys.get(1).get("alias").textValue());
        String ordersKeyId = keys.get(0).get("keyId").textValue();
        String ordersArn = keys.get(0).get("arn").textValue();
        assertEquals("arn:aws:kms:eu-west-1:444455556666:key/" + ordersKeyId, ordersArn);

        try (KmsClient kms = KmsTestSupport.kmsClient(endpoint, Region.EU_WEST_1)) {
            assertEquals(ordersArn, kms.generateDataKey(request -> request
                    .keyId("alias/orders").keySpec(DataKeySpec.AES_256)).keyId());
            assertEquals(keys.get(1).get("arn").textValue(), kms.describeKey(request -> request
                    .keyId("alias/invoices")).keyMetadata().arn());
        }
        assertFalse(status.isDone());

        stdinWriter.close();

        assertEquals(0, status.get(10, TimeUnit.SECONDS));
        assertConnectionRefused(endpoint);
    }

    @Test
    @Timeout(30)
    void runStopsAfterTimeLimit() throws Exception {
        LineCollector stdout = new LineCollector();
        long start = System.nanoTime();

        CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> LocalKmsCommand.run(
                new String[] {"--stop-after-seconds", "1"}, InputStream.nullInputStream(),
                new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err));
        JsonNode line = JSON.readTree(stdout.nextLine());

        assertEquals(0, status.get(10, TimeUnit.SECONDS));
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(elapsedMillis >= 1000, "stopped after " + elapsedMillis + " ms");
        assertEquals(0, line.get("keys").size());
        assertConnectionRefused(URI.create(line.get("endpoint").textValue()));
    }

    @Test
    @Timeout(30)
    void mainPrintsJsonLineAndStops() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LocalKmsServer.main(new String[] {"--create-key", "demo", "--stop-after-seconds", "1"});
        } finally {
            System.setOut(originalOut);
        }

        String[] lines = captured.toString(StandardCharsets.UTF_8).split("\\R");
        JsonNode line = JSON.readTree(lines[0]);
        assertEquals("alias/demo", line.get("keys").get(0).get("alias").textValue());
        assertTrue(line.get("keys").get(0).get("arn").textValue()
                .startsWith("arn:aws:kms:us-east-1:111122223333:key/"));
        assertConnectionRefused(URI.create(line.get("endpoint").textValue()));
    }

    private static void assertConnectionRefused(URI endpoint) throws IOException {
        try (Socket socket = new Socket()) {
            assertThrows(ConnectException.class, () -> socket.connect(
                    new InetSocketAddress("127.0.0.1", endpoint.getPort()), 2000));
        }
    }

    /** An output stream that hands each complete line to the test thread. */
    private static final class LineCollector extends OutputStream {
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final ByteArrayOutputStream current = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                lines.add(current.toString(StandardCharsets.UTF_8).strip());
                current.reset();
            } else {
                current.write(b);
            }
        }

        String nextLine() throws InterruptedException {
            String line = lines.poll(10, TimeUnit.SECONDS);
            assertNotNull(line, "no line on stdout within 10 s");
            return line;
        }
    }
}
