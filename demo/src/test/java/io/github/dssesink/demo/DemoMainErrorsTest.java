package io.github.dssesink.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invalid input and config files: the demo exits with status 2 and prints one line naming the
 * problem, without a stack trace and before it starts any server.
 */
class DemoMainErrorsTest {

    private static final Path DEFAULT_CONFIG = TestServers.PROJECT_ROOT.resolve("config/dsse-dual-layer.properties");

    @TempDir
    Path dir;

    @Test
    void missingInputFile() {
        Path missing = dir.resolve("missing.jsonl");
        String error = assertOneLineError(runDemo(missing, DEFAULT_CONFIG));
        assertEquals("Error: File not found: " + missing.toAbsolutePath() + "; pass an existing file with --input", error);
    }

    @Test
    void directoryAsInput() {
        String error = assertOneLineError(runDemo(dir, DEFAULT_CONFIG));
        assertEquals("Error: " + dir + " is a directory; pass a file with --input", error);
    }

    @Test
    void malformedJsonLine() throws IOException {
        Path input = write("in.jsonl", "{\"a\":1}\n{\"a\":\n");
        String error = assertOneLineError(runDemo(input, DEFAULT_CONFIG));
        assertTrue(error.startsWith("Error: Invalid JSON on line 2 of " + input + ": "), error);
        assertTrue(error.endsWith("; each line must be one JSON document"), error);
    }

    @Test
    void csvRowWithTooManyFields() throws IOException {
        Path input = write("in.csv", "origin,destination\nHNL,SFO\nLAX,BNA,JFK\n");
        String error = assertOneLineError(runDemo(input, DEFAULT_CONFIG));
        assertTrue(error.startsWith("Error: Invalid CSV on line 3 of " + input + ": Too many entries"), error);
    }

    @Test
    void csvWithUnterminatedQuote() throws IOException {
        Path input = write("in.csv", "origin,destination\nHNL,SFO\n\"LAX,BNA\nSEA,PDX\n");
        String error = assertOneLineError(runDemo(input, DEFAULT_CONFIG));
        assertTrue(error.startsWith("Error: Invalid CSV on line "), error);
        assertTrue(error.contains(" of " + input + ": "), error);
        assertTrue(error.toLowerCase().contains("quote"), error);
    }

    @Test
    void missingConnectorConfig() throws IOException {
        Path input = write("in.jsonl", "{\"a\":1}\n");
        Path missing = dir.resolve("missing.properties");
        String error = assertOneLineError(runDemo(input, missing));
        assertEquals("Error: File not found: " + missing.toAbsolutePath() + "; pass an existing file with --connector-config", error);
    }

    @Test
    void unknownPlaceholderFailsBeforeServersStart() throws IOException {
        Path input = write("in.jsonl", "{\"a\":1}\n");
        Path config = write("typo.properties", Files.readString(DEFAULT_CONFIG).replace("${S3_BUCKET}", "${S3_BUCKT}"));
        Result result = runDemo(input, config);
        String error = assertOneLineError(result);
        assertTrue(error.startsWith("Error: Unknown placeholder ${S3_BUCKT} in s3.bucket.name of " + config + "; "), error);
        assertTrue(error.contains("${S3_BUCKET}"), error);
        assertFalse(result.stdout().contains("Servers:"), result.toString());
    }

    @Test
    void invalidJsonConnectorConfig() throws IOException {
        Path input = write("in.jsonl", "{\"a\":1}\n");
        Path config = write("broken.json", "{\"name\": \"x\",\n \"config\": {\"tasks.max\": }}\n");
        String error = assertOneLineError(runDemo(input, config));
        assertTrue(error.startsWith("Error: Invalid JSON in " + config + " at line 2, column "), error);
    }

    @Test
    void verbosePrintsStackTrace() {
        Path missing = dir.resolve("missing.jsonl");
        Result result = runDemo(missing, DEFAULT_CONFIG, "--verbose");
        assertEquals(2, result.status(), result.toString());
        assertTrue(result.stderr().contains("\tat io.github.dssesink.demo.DemoMain"), result.toString());
        assertTrue(result.stderr().contains("Error: File not found: " + missing.toAbsolutePath()), result.toString());
    }

    @Test
    void helpShowsPlaceholderSyntax() {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int status = DemoMain.run(new String[] {"--help"}, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String help = stdout.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, help);
        assertTrue(help.contains("whose ${NAME}"), help);
        assertFalse(help.contains("null"), help);
    }

    /** Checks the exit status, that stderr is one line without a stack trace, and returns that line. */
    private static String assertOneLineError(Result result) {
        assertEquals(2, result.status(), result.toString());
        List<String> lines = result.stderr().lines().toList();
        assertEquals(1, lines.size(), result.toString());
        assertFalse(result.stderr().contains("\tat "), result.toString());
        return lines.get(0);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static Result runDemo(Path input, Path config, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("--input", input.toString(), "--connector-config", config.toString(),
                "--work-dir", "target/demo-errors-test"));
        args.addAll(List.of(extraArgs));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int status = DemoMain.run(args.toArray(String[]::new), new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        return new Result(status, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    }

    /** The exit status and output of one demo run. */
    record Result(int status, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit status " + status + "; stdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }
}
