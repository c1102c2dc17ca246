package io.github.dssesink.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Counts, per KMS key, the objects under a prefix that it protects, from HEAD alone. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Count, per KMS key, the objects under a prefix whose layer 1, layer 2 or S3 server-side encryption"
                + " uses it. Reads HEAD only: layer keys come from the key block metadata, and objects without one count"
                + " in the row '" + KeysCommand.NONE + "' as objects without client-side encryption. S3 key IDs that are not"
                + " ARNs are shown as key ARNs, resolved with KMS DescribeKey.")
final class KeysCommand extends ObjectCommand implements Callable<Integer> {
    /** Row label for objects without a layer key (no client-side encryption) or without an S3 KMS key. */
    static final String NONE = "(none)";

    private static final Logger log = LoggerFactory.getLogger(KeysCommand.class);
    private static final int LAYER1 = 0;
    private static final int LAYER2 = 1;
    private static final int SSE = 2;

    @Parameters(paramLabel = "s3://BUCKET/PREFIX", description = "The objects to examine: all keys that start with PREFIX.")
    String prefix;

    @Mixin
    PrefixOptions prefixOptions;

    @Option(names = "--list", description = "Also print one line per object with its three KMS keys.")
    boolean list;

    @Option(names = "--json", description = "Print the counts as one JSON document.")
    boolean json;

    /** One object's keys, or the failure. */
    private record Outcome(S3Location location, ObjectKeys keys, ObjectReadException failure) {
    }

    /** S3 key IDs as S3 reported them, mapped to the form that the report shows. */
    private final Map<String, String> sseKeyForms = new HashMap<>();

    @Override
    public Integer call() throws IOException {
        S3Location location = location(prefix);
        List<Outcome> outcomes;
        try (Clients clients = clients()) {
            DsseReader reader = clients.readerBuilder().build();
            outcomes = ObjectScan.run("keys", prefixOptions.requireObjects(reader.list(location), location), common, object -> {
                try {
                    return new Outcome(object, reader.keys(object), null);
                } catch (ObjectReadException e) {
                    return new Outcome(object, null, e);
                }
            });
            for (Outcome outcome : outcomes) {
                if (outcome.keys() != null && outcome.keys().sseKmsKeyId() != null) {
                    sseKeyForms.computeIfAbsent(outcome.keys().sseKmsKeyId(), id -> sseKeyArn(reader, id));
                }
            }
        }

        Map<String, long[]> counts = new TreeMap<>();
        long[] withoutKey = new long[3];
        List<String> failures = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            if (outcome.failure() != null) {
                failures.add(outcome.failure().getMessage());
                continue;
            }
            ObjectKeys keys = outcome.keys();
            if (keys.clientSideEncrypted()) {
                counts.computeIfAbsent(keys.layer1KeyId(), id -> new long[3])[LAYER1]++;
                counts.computeIfAbsent(keys.layer2KeyId(), id -> new long[3])[LAYER2]++;
            } else {
                withoutKey[LAYER1]++;
                withoutKey[LAYER2]++;
            }
            String sseKey = sseKey(keys);
            if (sseKey != null) {
                counts.computeIfAbsent(sseKey, id -> new long[3])[SSE]++;
            } else {
                withoutKey[SSE]++;
            }
        }
        if (json) {
            printJson(outcomes, counts, withoutKey, failures);
        } else {
            printText(outcomes, counts, withoutKey, failures);
        }
        out().flush();
        return failures.isEmpty() ? EXIT_OK : EXIT_FAILED;
    }

    /** Returns the S3 key in the form that the report shows, or null when S3 reports no key. */
    private String sseKey(ObjectKeys keys) {
        return keys.sseKmsKeyId() == null ? null : sseKeyForms.get(keys.sseKmsKeyId());
    }

    /**
     * Returns the key ARN of an S3 key ID, so it matches the layer keys' form, or the ID as S3
     * reported it when DescribeKey fails.
     */
    private static String sseKeyArn(DsseReader reader, String sseKmsKeyId) {
        try {
            return reader.keyArn(sseKmsKeyId);
        } catch (RuntimeException e) {
            log.warn("Cannot resolve S3 key ID {} to a key ARN, so it is listed as S3 reported it: {}", sseKmsKeyId, e.getMessage());
            return sseKmsKeyId;
        }
    }

    private void printText(List<Outcome> outcomes, Map<String, long[]> counts, long[] withoutKey, List<String> failures) {
        if (list) {
            for (Outcome outcome : outcomes) {
                if (outcome.keys() != null) {
                    out().println(listLine(outcome));
                }
            }
        }
        TextTable table = new TextTable("KMS KEY", "LAYER 1", "LAYER 2", "S3 SSE");
        counts.forEach((keyId, count) -> table.row(keyId, Long.toString(count[LAYER1]), Long.toString(count[LAYER2]),
                Long.toString(count[SSE])));
        if (withoutKey[LAYER1] + withoutKey[SSE] > 0) {
            table.row(NONE, Long.toString(withoutKey[LAYER1]), Long.toString(withoutKey[LAYER2]), Long.toString(withoutKey[SSE]));
        }
        table.print(out());
        failures.forEach(failure -> out().println("FAILED " + failure));
        out().printf("%d objects: %d read, %d without client-side encryption, %d failed%n", outcomes.size(),
                outcomes.size() - failures.size(), withoutKey[LAYER1], failures.size());
    }

    private String listLine(Outcome outcome) {
        ObjectKeys keys = outcome.keys();
        String layers = keys.clientSideEncrypted()
                ? "layer1=" + keys.layer1KeyId() + "  layer2=" + keys.layer2KeyId()
                : "client-side encryption: none";
        String sse = keys.serverSideEncryption() == null ? "none" : keys.serverSideEncryption();
        String sseKey = sseKey(keys);
        return keys.location() + "  " + layers + "  sse=" + sse + (sseKey == null ? "" : ":" + sseKey);
    }

    private void printJson(List<Outcome> outcomes, Map<String, long[]> counts, long[] withoutKey, List<String> failures)
            throws IOException {
        List<Map<String, Object>> keys = new ArrayList<>();
        counts.forEach((keyId, count) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("kmsKeyId", keyId);
            entry.put("layer1Objects", count[LAYER1]);
            entry.put("layer2Objects", count[LAYER2]);
            entry.put("sseObjects", count[SSE]);
            keys.add(entry);
        });
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("total", outcomes.size());
        summary.put("read", outcomes.size() - failures.size());
        summary.put("withoutClientSideEncryption", withoutKey[LAYER1]);
        summary.put("withoutSseKmsKey", withoutKey[SSE]);
        summary.put("failed", failures.size());
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("prefix", prefix);
        document.put("keys", keys);
        document.put("failures", failures);
        document.put("summary", summary);
        out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document));
    }
}
