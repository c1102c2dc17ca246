package io.github.dssesink.reader;

/**
 * The KMS keys that protect one object, from HEAD alone.
 *
 * @param location the object
 * @param layer1KeyId the KMS key ID recorded for layer 1
 * @param layer2KeyId the KMS key ID recorded for layer 2
 * @param serverSideEncryption the S3 server-side encryption that HEAD reports, or null
 * @param sseKmsKeyId the KMS key ID of S3 server-side encryption that HEAD reports, or null
 */
public record ObjectKeys(S3Location location, String layer1KeyId, String layer2KeyId, String serverSideEncryption,
                         String sseKmsKeyId) {
}
