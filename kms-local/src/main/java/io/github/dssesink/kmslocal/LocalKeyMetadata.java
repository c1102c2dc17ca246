package io.github.dssesink.kmslocal;

import java.time.Instant;

/**
 * A snapshot of one key of a {@link LocalKmsServer}, with the names of the AWS KMS KeyMetadata
 * fields.
 *
 * @param keyId the key ID, a UUID
 * @param arn the key ARN, {@code arn:aws:kms:<region>:<account>:key/<keyId>}
 * @param description the description given at creation, empty if none
 * @param keySpec the key spec, for example {@code SYMMETRIC_DEFAULT} or {@code RSA_2048}
 * @param keyUsage the key usage, for example {@code ENCRYPT_DECRYPT}
 * @param enabled whether the key was enabled when the snapshot was taken
 * @param creationDate the creation time, truncated to seconds as {@code DescribeKey} returns it
 */
public record LocalKeyMetadata(
        String keyId,
        String arn,
        String description,
        String keySpec,
        String keyUsage,
        boolean enabled,
        Instant creationDate) {
}
