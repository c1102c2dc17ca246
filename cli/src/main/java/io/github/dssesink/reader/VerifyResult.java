package io.github.dssesink.reader;

import java.util.List;

/**
 * The outcome of verifying one object: one entry per check, in the order they ran. Checks after a
 * failure that makes them meaningless (such as a missing object) are not run.
 *
 * @param location the object
 * @param objectLength the stored length in bytes, or -1 when HEAD failed
 * @param serverSideEncryption the S3 server-side encryption that HEAD reports, or null
 * @param sseKmsKeyId the KMS key ID that HEAD reports, or null
 * @param layer1KeyId the KMS key ID recorded for layer 1, or null when the key block is missing or unreadable
 * @param layer2KeyId the KMS key ID recorded for layer 2, or null
 * @param checks the checks that ran
 */
public record VerifyResult(
        S3Location location,
        long objectLength,
        String serverSideEncryption,
        String sseKmsKeyId,
        String layer1KeyId,
        String layer2KeyId,
        List<Check> checks) {

    /** Names of the checks, as they appear in reports. */
    public static final String CHECK_OBJECT = "object";
    public static final String CHECK_SSE = "sse";
    public static final String CHECK_SSE_KEY = "sse-key";
    public static final String CHECK_CLIENT_SIDE = "client-side-encryption";
    public static final String CHECK_LAYER_KEYS = "layer-keys";
    public static final String CHECK_ENVELOPE = "envelope";

    /** One check: its name, whether it passed, and a one-line detail. */
    public record Check(String name, boolean passed, String detail) {
    }

    public VerifyResult {
        checks = List.copyOf(checks);
    }

    public boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }

    /** Returns the details of the failed checks joined by "; ", or an empty string. */
    public String failures() {
        return String.join("; ", checks.stream().filter(check -> !check.passed()).map(Check::detail).toList());
    }
}
