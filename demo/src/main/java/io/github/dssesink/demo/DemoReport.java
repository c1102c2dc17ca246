package io.github.dssesink.demo;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints the objects the connector wrote and the summary of a demo run. */
final class DemoReport {

    private static final int MAX_LISTED_OBJECTS = 40;
    private static final double MEGABYTE = 1_000_000.0;

    private final PrintStream out;
    private final DemoMain.DemoKeys keys;

    DemoReport(PrintStream out, DemoMain.DemoKeys keys) {
        this.out = out;
        this.keys = keys;
    }

    void print(Map<String, String> config, ProducedRecords produced, ObjectVerifier.Result result, long inputBytes,
               double sinkSeconds) {
        printObjects(result.objects());
        printSummary(config, produced, result, inputBytes, sinkSeconds);
    }

    private void printObjects(List<ObjectVerifier.StoredObject> objects) {
        out.printf("Objects in s3://%s (%d); key IDs are named by the key the demo created:%n", DemoMain.BUCKET, objects.size());
        out.printf("  %-62s %10s %8s  %-13s %-12s %-8s %-8s%n", "KEY", "BYTES", "RECORDS", "SSE", "SSE KEY", "LAYER 1", "LAYER 2");
        int listed = Math.min(objects.size(), MAX_LISTED_OBJECTS);
        for (ObjectVerifier.StoredObject object : objects.subList(0, listed)) {
            out.printf(Locale.ROOT, "  %-62s %10d %8d  %-13s %-12s %-8s %-8s%n", object.key(), object.size(), object.records(),
                    object.sseAlgorithm().isEmpty() ? "(not echoed)" : object.sseAlgorithm(), keys.label(object.sseKmsKeyId()),
                    keys.label(object.layer1KeyId()), keys.label(object.layer2KeyId()));
        }
        if (objects.size() > listed) {
            out.printf("  ... and %d more objects%n", objects.size() - listed);
        }
    }

    private void printSummary(Map<String, String> config, ProducedRecords produced, ObjectVerifier.Result result, long inputBytes,
                              double sinkSeconds) {
        long storedBytes = result.objects().stream().mapToLong(ObjectVerifier.StoredObject::size).sum();
        boolean ok = result.allMatched(produced.size());
        out.println("Summary");
        out.printf(Locale.ROOT, "  connector:  %s, s3.ssea.name=%s, client-side encryption %s, format %s%n", config.get("name"),
                config.getOrDefault("s3.ssea.name", "aws:kms:dsse"),
                Boolean.parseBoolean(config.getOrDefault("dsse.client.encryption.enabled", "true")) ? "dual-layer" : "off",
                config.getOrDefault("format.class", "json"));
        // The time runs from creating the connector to the last committed offset, so it includes the
        // wait for the rotate.schedule.interval.ms boundary that completes each partition's last object.
        out.printf(Locale.ROOT, "  sink:       %d records, %.1f MB committed in %.1f s: %.0f records/s, %.2f MB/s"
                        + " (from connector creation, including the last scheduled rotation)%n",
                produced.size(), inputBytes / MEGABYTE, sinkSeconds, produced.size() / sinkSeconds, inputBytes / MEGABYTE / sinkSeconds);
        out.printf(Locale.ROOT, "  objects:    %d objects, %.1f MB stored%n", result.objects().size(), storedBytes / MEGABYTE);
        out.printf(Locale.ROOT, "  verified:   %d of %d records exactly once and equal (read %d, duplicates %d, mismatched %d, "
                        + "unexpected %d, missing %d)%n", result.matched(), produced.size(), result.recordsRead(), result.duplicates(),
                result.mismatched(), result.unexpected(), result.missing());
        for (String problem : result.problems()) {
            out.println("  problem:    " + problem);
        }
        out.println("  result:     " + (ok ? "OK" : "FAILED"));
    }
}
