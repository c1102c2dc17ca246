package io.github.dssesink.reader;

/**
 * Settings of {@link DsseReader#rewrap}.
 *
 * @param dryRun true to report what would change without calling KMS ReEncrypt or writing to S3
 * @param sseKmsKeyId the KMS key ID to send as DSSE-KMS key with the copy when HEAD reports no
 *     server-side encryption (S3Mock omits it after multipart uploads), or null
 */
public record RewrapOptions(boolean dryRun, String sseKmsKeyId) {
}
