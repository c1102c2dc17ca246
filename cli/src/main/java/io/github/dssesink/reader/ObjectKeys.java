package io.github.dssesink.reader;

/**
 * The KMS keys that protect one object, from HEAD alone.
 *
 * @param location the object
 * @param layer1KeyId the KMS key ID recorded for layer 1, or null without client-side encryption
 * @param layer2KeyId the KMS key ID recorded for layer 2, or null without client-side encryption
 * @param serverSideEncryption the S3 server-side encryption that HEAD reports, or null
 * @param sseKmsKeyId the KMS key ID of S3 server-side encryption that HEAD reports, or null
 */
public record ObjectKeys(S3Location location, String layer1KeyId, String layer2KeyId, String serverSideEncryption,
                         String sseKmsKeyId) {

    /** Returns true when HEAD carries a key block, so the object has client-side encryption. */
    public boolean clientSideEncrypted() {
        return layer1KeyId != null;
    }
}
