package io.github.dssesink.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input files in each accepted form (JSON lines, JSON array, CSV) become JSON lines. */
class InputRecordsTest {

    @TempDir
    Path dir;

    @Test
    void jsonLinesKeptByteForByte() throws IOException {
        Path file = write("in.jsonl", "{\"delay\": 1, \"time\":0.0}\n\n{\"delay\":2}\n");
        assertEquals(List.of("{\"delay\": 1, \"time\":0.0}", "{\"delay\":2}"), strings(InputRecords.load(file, 10)));
    }

    @Test
    void jsonArrayBecomesCompactLines() throws IOException {
        Path file = write("in.json", "  [ {\"delay\": 0, \"distance\": 1452, \"time\": 0.0},\n {\"delay\": 171} ]");
        assertEquals(List.of("{\"delay\":0,\"distance\":1452,\"time\":0.0}", "{\"delay\":171}"), strings(InputRecords.load(file, 10)));
    }

    @Test
    void csvRowsBecomeObjects() throws IOException {
        Path file = write("in.csv", "origin,destination\nHNL,SFO\nLAX,BNA\n");
        assertEquals(List.of("{\"origin\":\"HNL\",\"destination\":\"SFO\"}", "{\"origin\":\"LAX\",\"destination\":\"BNA\"}"),
                strings(InputRecords.load(file, 10)));
    }

    @Test
    void limitStopsReading() throws IOException {
        Path lines = write("in.jsonl", "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n");
        Path array = write("in.json", "[{\"a\":1},{\"a\":2},{\"a\":3}]");
        assertEquals(2, InputRecords.load(lines, 2).size());
        assertEquals(2, InputRecords.load(array, 2).size());
    }

    @Test
    void invalidJsonLineNamesLine() throws IOException {
        Path file = write("in.jsonl", "{\"a\":1}\n{\"a\":\n");
        InvalidInputException error = assertThrows(InvalidInputException.class, () -> InputRecords.load(file, 10));
        assertTrue(error.getMessage().startsWith("Invalid JSON on line 2 of " + file), error.getMessage());
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static List<String> strings(List<byte[]> records) {
        return records.stream().map(record -> new String(record, StandardCharsets.UTF_8)).toList();
    }
}
