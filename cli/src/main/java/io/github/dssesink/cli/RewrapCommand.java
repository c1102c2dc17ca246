package io.github.dssesink.cli;

import java.util.List;
import java.util.concurrent.Callable;

import io.github.dssesink.reader.DsseReader;
import io.github.dssesink.reader.ObjectReadException;
import io.github.dssesink.reader.RewrapOptions;
import io.github.dssesink.reader.RewrapResult;
import io.github.dssesink.reader.S3Location;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Re-wraps the data keys of every object under a prefix under new KMS keys. */
@Command(name = "rewrap", mixinStandardHelpOptions = true,
        description = "Re-wrap the data keys of every object under a prefix under other KMS keys (KMS ReEncrypt), then replace"
                + " each object's key block metadata with a server-side copy onto itself. Bodies are not downloaded or"
                + " re-encrypted; only their headers are read. Objects already on the target keys are skipped, so running"
                + " it again resumes an interrupted run.")
final class RewrapCommand extends ObjectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "s3://BUCKET/PREFIX", description = "The objects to re-wrap: all keys that start with PREFIX.")
    String prefix;

    @Mixin
    PrefixOptions prefixOptions;

    @Option(names = "--layer1-key", paramLabel = "KEY", description = "Target KMS key (ID, ARN or alias) of layer 1, resolved to its key ARN with KMS DescribeKey."
            + " Default: keep layer 1.")
    String layer1Key;

    @Option(names = "--layer2-key", paramLabel = "KEY", description = "Target KMS key (ID, ARN or alias) of layer 2, resolved to its key ARN with KMS DescribeKey."
            + " Default: keep layer 2.")
    String layer2Key;

    @Option(names = "--dry-run", description = "Report what would change; call neither KMS ReEncrypt nor S3 CopyObject.")
    boolean dryRun;

    @Option(names = "--sse-kms-key-id", paramLabel = "KEY",
            description = "DSSE-KMS key ID to send with the copy when HEAD reports no server-side encryption for an object."
                    + " Otherwise the copy repeats the encryption settings that HEAD reports.")
    String sseKmsKeyId;

    /** One object's outcome: the result, or the failure. */
    private record Outcome(S3Location location, RewrapResult result, ObjectReadException failure) {
    }

    @Override
    public Integer call() {
        if (layer1Key == null && layer2Key == null) {
            throw usageError("Missing target key: set --layer1-key, --layer2-key or both");
        }
        S3Location location = location(prefix);
        List<Outcome> outcomes;
        try (Clients clients = clients()) {
            DsseReader reader = clients.readerBuilder().build();
            RewrapOptions options = new RewrapOptions(dryRun, sseKmsKeyId);
            outcomes = ObjectScan.run("rewrap", prefixOptions.requireObjects(reader.list(location), location), common, object -> {
                try {
                    return new Outcome(object, reader.rewrap(object, layer1Key, layer2Key, options), null);
                } catch (ObjectReadException e) {
                    return new Outcome(object, null, e);
                }
            });
        }
        return report(outcomes);
    }

    private int report(List<Outcome> outcomes) {
        int changed = 0;
        int skipped = 0;
        int failed = 0;
        for (Outcome outcome : outcomes) {
            if (outcome.failure() != null) {
                failed++;
                out().println("FAILED       " + outcome.failure().getMessage());
                continue;
            }
            RewrapResult result = outcome.result();
            switch (result.status()) {
                case ALREADY_ON_TARGET -> {
                    skipped++;
                    out().println("SKIPPED      " + result.location() + ": already on the target keys");
                }
                case WOULD_REWRAP, REWRAPPED -> {
                    changed++;
                    out().printf("%-12s %s: layer 1 %s, layer 2 %s%n",
                            result.status() == RewrapResult.Status.REWRAPPED ? "REWRAPPED" : "WOULD-REWRAP", result.location(),
                            change(result.layer1Before(), result.layer1After()), change(result.layer2Before(), result.layer2After()));
                }
            }
        }
        out().printf("%d objects: %d %s, %d already on the target keys, %d failed%n", outcomes.size(), changed,
                dryRun ? "would be re-wrapped (dry run, nothing changed)" : "re-wrapped", skipped, failed);
        out().flush();
        return failed == 0 ? EXIT_OK : EXIT_FAILED;
    }

    private static String change(String before, String after) {
        return before.equals(after) ? "unchanged (" + before + ")" : before + " -> " + after;
    }
}
