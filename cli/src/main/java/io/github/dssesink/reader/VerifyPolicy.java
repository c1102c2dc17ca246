package io.github.dssesink.reader;

import java.util.List;

/**
 * The requirements that {@link DsseReader#verify} checks on each object.
 *
 * @param allowedSseKeyIds KMS key IDs, key ARNs or aliases accepted as the S3 server-side
 *     encryption key; empty accepts any key, but S3 must still report {@code aws:kms:dsse}
 * @param headerOnly true to authenticate only the header (KMS Decrypt of both data keys, key
 *     commitments and header tag) instead of every frame
 */
public record VerifyPolicy(List<String> allowedSseKeyIds, boolean headerOnly) {
    public VerifyPolicy {
        allowedSseKeyIds = List.copyOf(allowedSseKeyIds);
    }

    /** Returns a policy that accepts any S3 key and authenticates every frame. */
    public static VerifyPolicy full() {
        return new VerifyPolicy(List.of(), false);
    }
}
