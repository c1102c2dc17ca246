package io.github.dssesink.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The main job at small scale: 5,000 flight records through the packaged plugin, each checked. */
class DemoMainTest {

    private static final Pattern OBJECT_LINE =
            Pattern.compile("^\\s+topics/flights-test/partition=(\\d)/\\S+\\s+\\d+\\s+(\\d+)\\s+aws:kms:dsse\\s+server-side\\s+layer-1\\s+layer-2\\s*$");

    @Test
    void sampleRunsAndVerifiesEveryRecord() throws URISyntaxException {
        Path input = Path.of(DemoMainTest.class.getResource("/flights-5k.jsonl").toURI());
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();

        int status = DemoMain.run(new String[] {
            "--input", input.toString(),
            "--topic", "flights-test",
            "--partitions", "3",
            "--connector-config", TestServers.PROJECT_ROOT.resolve("config/dsse-dual-layer.properties").toString(),
            "--plugin-path", TestServers.PLUGIN_PATH.toString(),
            "--work-dir", "target/demo-main-test",
            "--rotate-schedule-ms", "2000",
            "--timeout-seconds", "180",
        }, new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));

        String output = stdout.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, "exit status; stdout:\n" + output + "\nstderr:\n" + stderr.toString(StandardCharsets.UTF_8));
        assertTrue(output.contains("Input: " + input + ", 5000 records"), output);
        assertTrue(output.contains("Produced 5000 records to topic flights-test ({0=1667, 1=1667, 2=1666} per partition)"), output);
        assertTrue(output.contains("verified:   5000 of 5000 records exactly once and equal "
                + "(read 5000, duplicates 0, mismatched 0, unexpected 0, missing 0)"), output);
        assertTrue(output.contains("result:     OK"), output);

        // The wall-clock rotation may split a partition into more than one object.
        List<Matcher> objects = output.lines().map(OBJECT_LINE::matcher).filter(Matcher::matches).toList();
        Matcher header = Pattern.compile("Objects in s3://dsse-demo \\((\\d+)\\)").matcher(output);
        assertTrue(header.find(), output);
        assertEquals(Integer.parseInt(header.group(1)), objects.size(), "every object must be DSSE with both layers:\n" + output);
        Map<String, Integer> recordsByPartition = new TreeMap<>();
        objects.forEach(line -> recordsByPartition.merge(line.group(1), Integer.parseInt(line.group(2)), Integer::sum));
        assertEquals(Map.of("0", 1667, "1", 1667, "2", 1666), recordsByPartition);
    }
}
