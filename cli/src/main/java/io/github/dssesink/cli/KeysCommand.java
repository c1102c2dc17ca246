package io.github.dssesink.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.dssesink.reader.DsseReader;
import io.github.dssesink.reader.ObjectKeys;
import io.github.dssesink.reader.ObjectReadException;
import io.github.dssesink.reader.S3Location;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Counts, per KMS key ID, the objects under a prefix that it protects. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Count, per KMS key ID, the objects under a prefix whose layer 1, layer 2 or S3 server-side encryption"
                + " uses it. Reads HEAD only.")
final class KeysCommand extends ObjectCommand implements Callable<Integer> {
    private static final int LAYER1 = 0;
    private static final int LAYER2 = 1;
    private static final int SSE = 2;

    @Parameters(paramLabel = "s3://BUCKET/PREFIX", description = "The objects to examine: all keys that start with PREFIX.")
    String prefix;

    @Option(names = "--list", description = "Also print one line per object with its three key IDs.")
    boolean list;

    @Option(names = "--json", description = "Print the counts as one JSON document.")
    boolean json;

    /** One object's key IDs, or the failure. */
    private record Outcome(S3Location location, ObjectKeys keys, ObjectReadException failure) {
    }

    @Override
    public Integer call() throws IOException {
        S3Location location = location(prefix);
        List<Outcome> outcomes;
        try (Clients clients = clients()) {
            DsseReader reader = clients.readerBuilder().build();
            outcomes = ObjectScan.run("keys", reader.list(location), common, object -> {
                try {
                    return new Outcome(object, reader.keys(object), null);
                } catch (ObjectReadException e) {
                    return new Outcome(object, null, e);
                }
            });
        }

        Map<String, long[]> counts = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            if (outcome.failure() != null) {
                failures.add(outcome.failure().getMessage());
                continue;
            }
            ObjectKeys keys = outcome.keys();
            counts.computeIfAbsent(keys.layer1KeyId(), id -> new long[3])[LAYER1]++;
            counts.computeIfAbsent(keys.layer2KeyId(), id -> new long[3])[LAYER2]++;
            if (keys.sseKmsKeyId() != null) {
                counts.computeIfAbsent(keys.sseKmsKeyId(), id -> new long[3])[SSE]++;
            }
        }
        if (json) {
            printJson(outcomes, counts, failures);
        } else {
            printText(outcomes, counts, failures);
        }
        out().flush();
        return failures.isEmpty() ? EXIT_OK : EXIT_FAILED;
    }

    private void printText(List<Outcome> outcomes, Map<String, long[]> counts, List<String> failures) {
        if (list) {
            for (Outcome outcome : outcomes) {
                if (outcome.keys() != null) {
                    ObjectKeys keys = outcome.keys();
                    out().println(keys.location() + "  layer1=" + keys.layer1KeyId() + "  layer2=" + keys.layer2KeyId()
                            + "  sse=" + keys.serverSideEncryption() + (keys.sseKmsKeyId() == null ? "" : ":" + keys.sseKmsKeyId()));
                }
            }
        }
        TextTable table = new TextTable("KMS KEY ID", "LAYER 1", "LAYER 2", "S3 SSE");
        counts.forEach((keyId, count) -> table.row(keyId, Long.toString(count[LAYER1]), Long.toString(count[LAYER2]),
                Long.toString(count[SSE])));
        table.print(out());
        failures.forEach(failure -> out().println("FAILED " + failure));
        out().printf("%d objects: %d read, %d failed%n", outcomes.size(), outcomes.size() - failures.size(), failures.size());
    }

    private void printJson(List<Outcome> outcomes, Map<String, long[]> counts, List<String> failures) throws IOException {
        List<Map<String, Object>> keys = new ArrayList<>();
        counts.forEach((keyId, count) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("kmsKeyId", keyId);
            entry.put("layer1Objects", count[LAYER1]);
            entry.put("layer2Objects", count[LAYER2]);
            entry.put("sseObjects", count[SSE]);
            keys.add(entry);
        });
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("prefix", prefix);
        document.put("keys", keys);
        document.put("failures", failures);
        document.put("summary", Map.of("total", outcomes.size(), "read", outcomes.size() - failures.size(), "failed", failures.size()));
        out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document));
    }
}
