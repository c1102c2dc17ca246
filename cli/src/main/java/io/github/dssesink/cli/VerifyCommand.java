package io.github.dssesink.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.dssesink.reader.DsseReader;
import io.github.dssesink.reader.S3Location;
import io.github.dssesink.reader.VerifyPolicy;
import io.github.dssesink.reader.VerifyResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Checks every object under a prefix and prints a table or JSON; exits 1 if any object fails. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check every object under a prefix: S3 reports aws:kms:dsse (with an allowed key), the object has"
                + " client-side encryption (the connector's default), both layers' KMS keys are allowed, and the envelope"
                + " authenticates. Carries on past failing objects and exits 1 if any failed.")
final class VerifyCommand extends ObjectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "s3://BUCKET/PREFIX", description = "The objects to verify: all keys that start with PREFIX.")
    String prefix;

    @Option(names = "--allowed-sse-key", paramLabel = "KEY",
            description = "KMS key ID, ARN or alias accepted for S3 server-side encryption. Repeatable. Default: any key.")
    List<String> allowedSseKeys = new ArrayList<>();

    @Option(names = "--allowed-key", paramLabel = "KEY",
            description = "KMS key ID, ARN or alias accepted for layer 1 and layer 2. Repeatable. Default: any key.")
    List<String> allowedKeys = new ArrayList<>();

    @Option(names = "--header-only", description = "Authenticate only the header (KMS Decrypt, key commitments, header tag)"
            + " instead of every frame; reads no frame.")
    boolean headerOnly;

    @Option(names = "--json", description = "Print the results as one JSON document instead of a table.")
    boolean json;

    @Option(names = "--server-side-only", description = "Accept objects without client-side encryption (no key block), which"
            + " the connector writes with client-side encryption off; S3 must still report aws:kms:dsse. Objects with a key"
            + " block are still checked in full. Default: an object without client-side encryption fails.")
    boolean serverSideOnly;

    @Mixin
    PrefixOptions prefixOptions;

    @Override
    public Integer call() throws IOException {
        S3Location location = location(prefix);
        List<VerifyResult> results;
        try (Clients clients = clients()) {
            DsseReader reader = clients.readerBuilder().allowedKeyIds(allowedKeys).build();
            VerifyPolicy policy = new VerifyPolicy(allowedSseKeys, headerOnly, !serverSideOnly);
            List<S3Location> objects = prefixOptions.requireObjects(reader.list(location), location);
            results = ObjectScan.run("verify", objects, common, object -> reader.verify(object, policy));
        }
        long failed = results.stream().filter(result -> !result.passed()).count();
        if (json) {
            printJson(results, failed);
        } else {
            printTable(out(), results, failed);
        }
        out().flush();
        return failed == 0 ? EXIT_OK : EXIT_FAILED;
    }

    private void printJson(List<VerifyResult> results, long failed) throws IOException {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (VerifyResult result : results) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("object", result.location().toString());
            entry.put("key", result.location().key());
            entry.put("passed", result.passed());
            entry.put("objectLength", result.objectLength());
            entry.put("serverSideEncryption", result.serverSideEncryption());
            entry.put("sseKmsKeyId", result.sseKmsKeyId());
            entry.put("layer1KeyId", result.layer1KeyId());
            entry.put("layer2KeyId", result.layer2KeyId());
            List<Map<String, Object>> checks = new ArrayList<>();
            for (VerifyResult.Check check : result.checks()) {
                checks.add(Map.of("name", check.name(), "passed", check.passed(), "detail", check.detail()));
            }
            entry.put("checks", checks);
            objects.add(entry);
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("prefix", prefix);
        document.put("objects", objects);
        document.put("summary", Map.of("total", results.size(), "passed", results.size() - failed, "failed", failed));
        out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document));
    }

    private static void printTable(PrintWriter out, List<VerifyResult> results, long failed) {
        TextTable table = new TextTable("KEY", "SIZE", "SSE", "LAYER KEYS", "ENVELOPE", "RESULT");
        for (VerifyResult result : results) {
            table.row(result.location().key(),
                    result.objectLength() < 0 ? "-" : Long.toString(result.objectLength()),
                    status(result, VerifyResult.CHECK_SSE, VerifyResult.CHECK_SSE_KEY),
                    status(result, VerifyResult.CHECK_LAYER_KEYS),
                    envelopeStatus(result),
                    result.passed() ? "PASS" : "FAIL");
        }
        table.print(out);
        for (VerifyResult result : results) {
            if (!result.passed()) {
                out.println("FAIL " + result.location() + ": " + result.failures());
            }
        }
        out.printf("%d objects: %d passed, %d failed%n", results.size(), results.size() - failed, failed);
    }

    /** Returns "none" for an accepted object without client-side encryption, else the status of the envelope checks. */
    private static String envelopeStatus(VerifyResult result) {
        for (VerifyResult.Check check : result.checks()) {
            if (check.name().equals(VerifyResult.CHECK_CLIENT_SIDE) && check.passed()) {
                return "none";
            }
        }
        return status(result, VerifyResult.CHECK_CLIENT_SIDE, VerifyResult.CHECK_ENVELOPE);
    }

    /** Returns "ok", "FAIL" or "-" (not run) for the named checks together. */
    private static String status(VerifyResult result, String... names) {
        boolean ran = false;
        for (VerifyResult.Check check : result.checks()) {
            for (String name : names) {
                if (check.name().equals(name)) {
                    if (!check.passed()) {
                        return "FAIL";
                    }
                    ran = true;
                }
            }
        }
        return ran ? "ok" : "-";
    }
}
