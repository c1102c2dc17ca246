package io.github.dssesink.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/**
 * Loads the demo's input as JSON lines: one compact JSON document per record, as UTF-8 bytes.
 * A file ending in {@code .csv} is read with its header row as field names (every value a
 * string); a file whose first non-blank character is {@code [} is a JSON array; anything else is
 * JSON lines, whose lines are kept byte for byte (blank lines are skipped).
 */
final class InputRecords {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private InputRecords() {
    }

    /**
     * Reads at most {@code limit} records from the file.
     *
     * @throws InvalidInputException if the file is not valid JSON or CSV; the message names the line
     * @throws IOException if the file cannot be read
     */
    static List<byte[]> load(Path file, int limit) throws IOException {
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            return loadCsv(file, limit);
        }
        try (PushbackInputStream in = new PushbackInputStream(Files.newInputStream(file), 1)) {
            int first = firstNonBlank(in);
            if (first == -1) {
                return List.of();
            }
            in.unread(first);
            return first == '[' ? loadJsonArray(in, file, limit) : loadJsonLines(in, file, limit);
        }
    }

    private static int firstNonBlank(InputStream in) throws IOException {
        int c = in.read();
        while (c != -1 && Character.isWhitespace(c)) {
            c = in.read();
        }
        return c;
    }

    private static List<byte[]> loadJsonArray(InputStream in, Path file, int limit) throws IOException {
        List<byte[]> records = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(in)) {
            parser.nextToken();
            while (records.size() < limit && parser.nextToken() != JsonToken.END_ARRAY) {
                if (parser.currentToken() == null) {
                    throw new InvalidInputException("Invalid JSON in " + file + ": the array has no closing ]");
                }
                JsonNode node = JSON.readTree(parser);
                records.add(JSON.writeValueAsBytes(node));
            }
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("Invalid JSON on line " + e.getLocation().getLineNr() + " of " + file + ": "
                    + e.getOriginalMessage(), e);
        }
        return records;
    }

    private static List<byte[]> loadJsonLines(InputStream in, Path file, int limit) throws IOException {
        List<byte[]> records = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        int lineNumber = 0;
        String line;
        while (records.size() < limit && (line = reader.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            try {
                JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new InvalidInputException("Invalid JSON on line " + lineNumber + " of " + file + ": " + e.getOriginalMessage()
                        + "; each line must be one JSON document", e);
            }
            records.add(line.getBytes(StandardCharsets.UTF_8));
        }
        return records;
    }

    private static List<byte[]> loadCsv(Path file, int limit) throws IOException {
        CsvMapper csv = new CsvMapper();
        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        List<byte[]> records = new ArrayList<>();
        // hasNextValue() and nextValue() throw the parser's exception, with its location; hasNext() would wrap it.
        try (MappingIterator<Map<String, String>> rows = csv.readerFor(Map.class).with(schema).readValues(file.toFile())) {
            while (records.size() < limit && rows.hasNextValue()) {
                records.add(JSON.writeValueAsBytes(rows.nextValue()));
            }
        } catch (JsonProcessingException e) {
            // Jackson reports an unclosed quote where the file ends, not where the quote opened.
            String hint = e.getOriginalMessage().contains("closing quote")
                    ? "; a quoted value that starts on an earlier line is not closed"
                    : "; each row must have at most as many fields as the header row";
            throw new InvalidInputException("Invalid CSV on line " + e.getLocation().getLineNr() + " of " + file + ": "
                    + e.getOriginalMessage() + hint, e);
        }
        return records;
    }

    /** Returns the total size of the records in bytes. */
    static long totalBytes(List<byte[]> records) {
        long total = 0;
        for (byte[] record : records) {
            total += record.length;
        }
        return total;
    }
}
