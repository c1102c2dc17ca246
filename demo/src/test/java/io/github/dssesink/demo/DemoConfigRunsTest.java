package io.github.dssesink.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The demo's main path with the other example configs, on the shared servers: 300 flight records
 * each, so a run takes a few seconds. DemoMainTest covers the recommended config on servers of the
 * demo's own.
 */
@ExtendWith(TestServers.class)
class DemoConfigRunsTest {

    private static final int RECORDS = 300;

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
        "sse-kms,         dsse-s3-sink-sse-kms,    aws:kms,      off",
        "sse-c,           dsse-s3-sink-sse-c,      '',           off",
        "dsse-only,       dsse-s3-sink-dsse-only,  aws:kms:dsse, off",
    })
    void configRunsAndVerifiesEveryRecord(String config, String connectorName, String sseAlgorithm, String clientSide)
            throws Exception {
        String topic = "flights-" + config;
        Run run = runDemo(TestServers.PROJECT_ROOT.resolve("config/" + config + ".properties"), topic);
        try {
            assertEquals(0, run.status(), run.toString());
            assertTrue(run.stdout().contains("Produced 300 records to topic " + topic + " ({0=100, 1=100, 2=100} per partition)"),
                    run.toString());
            assertTrue(run.stdout().contains("connector:  " + connectorName + ", s3.ssea.name=" + sseAlgorithm
                    + ", client-side encryption " + clientSide), run.toString());
            assertTrue(run.stdout().contains("verified:   300 of 300 records exactly once and equal "
                    + "(read 300, duplicates 0, mismatched 0, unexpected 0, missing 0)"), run.toString());
            assertTrue(run.stdout().contains("result:     OK"), run.toString());
            assertEquals("", run.stderr(), run.toString());
        } finally {
            TestServers.servers().connect().deleteConnector(connectorName);
        }
    }

    @Test
    void configRejectedByConnectPrintsItsMessage() throws Exception {
        Path config = Files.writeString(dir.resolve("invalid-flush-size.properties"),
                Files.readString(TestServers.PROJECT_ROOT.resolve("config/sse-kms.properties"))
                        .replace("name=dsse-s3-sink-sse-kms", "name=dsse-s3-sink-invalid")
                        .replace("flush.size=10000", "flush.size=-5"));

        Run run = runDemo(config, "flights-invalid-config");

        assertEquals(2, run.status(), run.toString());
        assertEquals(1, run.stderr().lines().count(), run.toString());
        assertTrue(run.stderr().startsWith("Error: Connect rejected the connector config in " + config + ": "), run.toString());
        assertTrue(run.stderr().contains("Invalid value -5 for configuration flush.size"), run.toString());
        assertFalse(run.stderr().contains("\tat "), run.toString());
        assertFalse(run.stdout().contains("Summary"), run.toString());
    }

    private static Run runDemo(Path config, String topic) throws IOException, InterruptedException, URISyntaxException {
        Path input = Path.of(DemoConfigRunsTest.class.getResource("/flights-5k.jsonl").toURI());
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int status = DemoMain.run(new String[] {
            "--input", input.toString(),
            "--records", Integer.toString(RECORDS),
            "--topic", topic,
            "--partitions", "3",
            "--connector-config", config.toString(),
            "--rotate-schedule-ms", "1000",
            "--timeout-seconds", "120",
        }, new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8),
                TestServers.servers().demo());
        return new Run(status, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    }

    /** The exit status and output of one demo run. */
    record Run(int status, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit status " + status + "; stdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }
}
