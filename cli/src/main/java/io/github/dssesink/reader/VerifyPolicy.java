package io.github.dssesink.reader;

import java.util.List;

/**
 * The requirements that {@link DsseReader#verify} checks on each object.
 *
 * @param allowedSseKeyIds KMS key IDs, key ARNs or aliases accepted as the S3 server-side
 *     encryption key; empty accepts any key, but S3 must still report {@code aws:kms:dsse}
 * @param headerOnly true to authenticate only the header (KMS Decrypt of both data keys, key
 *     commitments and header tag) instead of every frame
 * @param clientSideEncryptionRequired true to fail objects without a key block. The connector writes
 *     those only with client-side encryption off. Objects with a key block are checked in full either way.
 */
public record VerifyPolicy(List<String> allowedSseKeyIds, boolean headerOnly, boolean clientSideEncryptionRequired) {
    public VerifyPolicy {
        allowedSseKeyIds = List.copyOf(allowedSseKeyIds);
    }

    /** Returns a policy that accepts any S3 key, requires client-side encryption and authenticates every frame. */
    public static VerifyPolicy full() {
        return new VerifyPolicy(List.of(), false, true);
    }
}
