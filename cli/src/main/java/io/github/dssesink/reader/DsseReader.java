package io.github.dssesink.reader;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.github.dssesink.crypto.EnvelopeDecryptor;
import io.github.dssesink.crypto.EnvelopeException;
import io.github.dssesink.crypto.EnvelopeHeader;
import io.github.dssesink.crypto.FrameLayout;
import io.github.dssesink.crypto.KeyBlock;
import io.github.dssesink.crypto.KeyProvider;
import io.github.dssesink.crypto.KeyProviderId;
import io.github.dssesink.crypto.KeyRewrapper;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Reads DSSE Sink objects from S3: inspects their header and metadata, decrypts them whole or by
 * plaintext byte range, verifies them, lists the KMS keys that protect them and re-wraps their
 * data keys under other KMS keys. Thread-safe; the caller owns and closes the S3 client and the
 * key providers' clients.
 *
 * <p>Every method that names one object throws {@link ObjectReadException}, whose message is one
 * line naming the object and the cause; {@link #verify} reports failures in its result instead.
 */
public final class DsseReader {
    /** The largest object that a single CopyObject can copy (5 GiB, an S3 limit). */
    public static final long MAX_SINGLE_COPY_SIZE_IN_BYTES = 5L * 1024 * 1024 * 1024;
    /** S3 requires every part but the last to hold at least 5 MiB. */
    private static final long MIN_COPY_PART_SIZE_IN_BYTES = 5L * 1024 * 1024;
    /** S3 allows at most 10,000 parts per multipart upload. */
    private static final int MAX_PART_COUNT = 10_000;
    private static final long DEFAULT_COPY_PART_SIZE_IN_BYTES = 512L * 1024 * 1024;
    private static final String DSSE = "aws:kms:dsse";

    private final S3Client s3;
    private final EnvelopeDecryptor decryptor;
    private final Map<KeyProviderId, KeyProvider> providers;
    private final KeyRewrapper rewrapper;
    private final long multipartCopyThreshold;
    private final long copyPartSize;
    private final Map<String, String> resolvedKeyArns = new ConcurrentHashMap<>();

    private DsseReader(Builder builder) {
        this.s3 = Objects.requireNonNull(builder.s3, "s3 client");
        this.providers = new EnumMap<>(builder.providers);
        EnvelopeDecryptor.Builder decryptorBuilder = EnvelopeDecryptor.builder()
                .allowedKeyIds(builder.allowedKeyIds)
                .requiredContext(builder.requiredContext);
        providers.values().forEach(decryptorBuilder::keyProvider);
        this.decryptor = decryptorBuilder.build();
        this.rewrapper = new KeyRewrapper(providers.values().toArray(new KeyProvider[0]));
        this.multipartCopyThreshold = builder.multipartCopyThreshold;
        this.copyPartSize = builder.copyPartSize;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Lists the keys of the objects under a prefix, in S3's (UTF-8 binary) order. Zero-byte keys
     * ending in "/" (folder markers that consoles create) are left out.
     */
    public List<S3Location> list(S3Location prefix) {
        List<S3Location> objects = new ArrayList<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(request -> request.bucket(prefix.bucket()).prefix(prefix.key())).contents()) {
                if (object.key().endsWith("/") && object.size() == 0) {
                    continue;
                }
                objects.add(prefix.withKey(object.key()));
            }
        } catch (RuntimeException e) {
            throw ObjectReadException.of(prefix, e);
        }
        return objects;
    }

    /** Returns S3's HEAD response for an object. */
    public HeadObjectResponse head(S3Location location) {
        try {
            return s3.headObject(request -> request.bucket(location.bucket()).key(location.key()));
        } catch (RuntimeException e) {
            throw ObjectReadException.of(location, e);
        }
    }

    /**
     * Reads what S3 and the envelope header report about an object, without decrypting it. An object
     * with connector metadata but no key block is reported without an envelope, from HEAD alone.
     */
    public ObjectInfo inspect(S3Location location) {
        HeadObjectResponse head = head(location);
        ObjectInfo.Envelope envelope = null;
        if (!isServerSideOnly(head)) {
            envelope = envelope(location, head);
        }
        return new ObjectInfo(location, head.contentLength(), head.contentType(), head.serverSideEncryptionAsString(),
                head.ssekmsKeyId(), head.metadata(), envelope);
    }

    private ObjectInfo.Envelope envelope(S3Location location, HeadObjectResponse head) {
        try {
            EnvelopeHeader header = readHeader(location, head);
            FrameLayout layout = FrameLayout.ofObject(header, head.contentLength());
            KeyBlock keyBlock = KeyBlock.fromBase64(head.metadata().get(KeyBlock.S3_METADATA_NAME));
            return new ObjectInfo.Envelope(header.formatVersion(), header.frameSize(), layout.frameCount(),
                    layout.plaintextLength(), header.encryptionContext(), keyBlock);
        } catch (RuntimeException e) {
            throw ObjectReadException.of(location, e);
        }
    }

    /**
     * Returns true when HEAD shows connector metadata but no key block, which is what the connector
     * writes with client-side encryption off. An object with neither goes through the header read,
     * which reports that it is no DSSE Sink object.
     */
    private static boolean isServerSideOnly(HeadObjectResponse head) {
        return !head.metadata().containsKey(KeyBlock.S3_METADATA_NAME) && head.metadata().containsKey(ConnectorMetadata.TOPIC);
    }

    /**
     * Returns the KMS keys that protect an object, from HEAD alone. An object without a key block
     * has null layer keys, and a key block that cannot be decoded throws.
     */
    public ObjectKeys keys(S3Location location) {
        HeadObjectResponse head = head(location);
        String encodedKeyBlock = head.metadata().get(KeyBlock.S3_METADATA_NAME);
        if (encodedKeyBlock == null) {
            return new ObjectKeys(location, null, null, head.serverSideEncryptionAsString(), head.ssekmsKeyId());
        }
        KeyBlock keyBlock;
        try {
            keyBlock = KeyBlock.fromBase64(encodedKeyBlock);
        } catch (RuntimeException e) {
            throw ObjectReadException.of(location, e);
        }
        return new ObjectKeys(location, keyBlock.layer1().keyId(), keyBlock.layer2().keyId(),
                head.serverSideEncryptionAsString(), head.ssekmsKeyId());
    }

    /**
     * Opens an object for sequential decryption with one GetObject. The stream releases only
     * authenticated frames; a failed frame raises an {@link IOException} whose cause is the
     * {@link EnvelopeException} (see {@link ObjectReadException#of}). The caller closes it.
     */
    public InputStream open(S3Location location) {
        ResponseInputStream<GetObjectResponse> body;
        try {
            body = s3.getObject(request -> request.bucket(location.bucket()).key(location.key()));
        } catch (RuntimeException e) {
            throw ObjectReadException.of(location, e);
        }
        try {
            String encodedKeyBlock = body.response().metadata().get(KeyBlock.S3_METADATA_NAME);
            if (encodedKeyBlock == null) {
                // Reading the header first names the real problem when the object is no DSSE object at all.
                EnvelopeHeader.read(body);
            }
            return decryptor.open(body, KeyBlock.fromBase64(encodedKeyBlock));
        } catch (IOException | RuntimeException e) {
            body.abort();
            throw ObjectReadException.of(location, e);
        }
    }

    /** Decrypts a whole object into {@code out} and returns the number of plaintext bytes. */
    public long decrypt(S3Location location, OutputStream out) {
        try (InputStream plaintext = open(location)) {
            return plaintext.transferTo(out);
        } catch (IOException | RuntimeException e) {
            throw ObjectReadException.of(location, e);
        }
    }

    /**
     * Opens plaintext bytes [start, end) of an object. It reads HEAD, the header and only the frames
     * that hold the range, each with a ranged GetObject pinned to the object's ETag.
     */
    public InputStream openRange(S3Location location, long start, long end) {
        HeadObjectResponse head = head(location);
        try {
            KeyBlock keyBlock = keyBlock(location, head);
            return decryptor.openRange(new S3RangeSource(s3, location, head.eTag()), head.contentLength(), keyBlock, start, end);
        } catch (IOException | RuntimeException e) {
            throw ObjectReadException.of(location, e);
        }
    }

    /**
     * Checks one object: S3 reports {@code aws:kms:dsse} (with an allowed key when the policy lists
     * some), the object has a key block unless the policy accepts objects without client-side
     * encryption, both layers' KMS keys are on the allow-list, and the envelope authenticates.
     * Failures are recorded in the result, never thrown.
     */
    public VerifyResult verify(S3Location location, VerifyPolicy policy) {
        List<VerifyResult.Check> checks = new ArrayList<>();
        HeadObjectResponse head;
        try {
            head = head(location);
        } catch (ObjectReadException e) {
            checks.add(new VerifyResult.Check(VerifyResult.CHECK_OBJECT, false, e.causeLine()));
            return new VerifyResult(location, -1, null, null, null, null, checks);
        }
        String sse = head.serverSideEncryptionAsString();
        String sseKeyId = head.ssekmsKeyId();
        checks.add(checkSse(sse));
        if (!policy.allowedSseKeyIds().isEmpty()) {
            try {
                checks.add(checkSseKey(sseKeyId, policy.allowedSseKeyIds()));
            } catch (RuntimeException e) {
                // Resolving an alias on the allowed list calls KMS DescribeKey, which can fail.
                checks.add(new VerifyResult.Check(VerifyResult.CHECK_SSE_KEY, false, ObjectReadException.of(location, e).causeLine()));
            }
        }

        if (!head.metadata().containsKey(KeyBlock.S3_METADATA_NAME)) {
            checks.add(checkNoClientSideEncryption(policy));
            return new VerifyResult(location, head.contentLength(), sse, sseKeyId, null, null, checks);
        }
        KeyBlock keyBlock;
        try {
            keyBlock = keyBlock(location, head);
        } catch (ObjectReadException e) {
            checks.add(new VerifyResult.Check(VerifyResult.CHECK_ENVELOPE, false, e.causeLine()));
            return new VerifyResult(location, head.contentLength(), sse, sseKeyId, null, null, checks);
        }
        String layer1 = keyBlock.layer1().keyId();
        String layer2 = keyBlock.layer2().keyId();
        try {
            decryptor.checkAllowed(keyBlock);
            checks.add(new VerifyResult.Check(VerifyResult.CHECK_LAYER_KEYS, true, "layer keys allowed"));
        } catch (RuntimeException e) {
            checks.add(new VerifyResult.Check(VerifyResult.CHECK_LAYER_KEYS, false, ObjectReadException.of(location, e).causeLine()));
            return new VerifyResult(location, head.contentLength(), sse, sseKeyId, layer1, layer2, checks);
        }
        checks.add(checkEnvelope(location, head, keyBlock, policy.headerOnly()));
        return new VerifyResult(location, head.contentLength(), sse, sseKeyId, layer1, layer2, checks);
    }

    /**
     * Re-wraps an object's data keys under the target KMS keys with KMS ReEncrypt, then replaces its
     * key block metadata with a server-side copy onto itself. The body is neither downloaded nor
     * changed: only its header is read, for the encryption context. Layers already on their target
     * are left alone, so a second run skips the objects that the first one finished.
     *
     * @param layer1Target the layer-1 KMS key (ID, ARN or alias), or null to keep layer 1
     * @param layer2Target the layer-2 KMS key, or null to keep layer 2
     * @param options dry run and the SSE key to send when S3 reports none
     */
    public RewrapResult rewrap(S3Location location, String layer1Target, String layer2Target, RewrapOptions options) {
        HeadObjectResponse head = head(location);
        KeyBlock keyBlock = keyBlock(location, head);
        try {
            String target1 = resolveTarget(keyBlock.layer1().provider(), layer1Target);
            String target2 = resolveTarget(keyBlock.layer2().provider(), layer2Target);
            String before1 = keyBlock.layer1().keyId();
            String before2 = keyBlock.layer2().keyId();
            boolean onTarget1 = target1 == null || KeyRewrapper.isOnKey(before1, target1);
            boolean onTarget2 = target2 == null || KeyRewrapper.isOnKey(before2, target2);
            if (onTarget1 && onTarget2) {
                return new RewrapResult(location, RewrapResult.Status.ALREADY_ON_TARGET, before1, before1, before2, before2);
            }

            EnvelopeHeader header = readHeader(location, head);
            if (options.dryRun()) {
                return new RewrapResult(location, RewrapResult.Status.WOULD_REWRAP, before1, onTarget1 ? before1 : target1,
                        before2, onTarget2 ? before2 : target2);
            }
            KeyBlock rewrapped = rewrapper.rewrap(keyBlock, header.encryptionContext(), target1, target2);
            replaceKeyBlock(location, head, rewrapped, options.sseKmsKeyId());
            return new RewrapResult(location, RewrapResult.Status.REWRAPPED, before1, rewrapped.layer1().keyId(),
                    before2, rewrapped.layer2().keyId());
        } catch (RuntimeException e) {
            throw ObjectReadException.of(location, e);
        }
    }

    private VerifyResult.Check checkSse(String sse) {
        if (DSSE.equals(sse)) {
            return new VerifyResult.Check(VerifyResult.CHECK_SSE, true, "S3 reports " + DSSE);
        }
        String reported = sse == null ? "no server-side encryption" : "server-side encryption '" + sse + "'";
        return new VerifyResult.Check(VerifyResult.CHECK_SSE, false, "S3 reports " + reported + ", expected '" + DSSE + "'");
    }

    private static VerifyResult.Check checkNoClientSideEncryption(VerifyPolicy policy) {
        if (policy.clientSideEncryptionRequired()) {
            return new VerifyResult.Check(VerifyResult.CHECK_CLIENT_SIDE, false, "no client-side encryption: the object has no '"
                    + KeyBlock.S3_METADATA_NAME + "' metadata (objects written with client-side encryption off pass only"
                    + " with dsse verify --server-side-only)");
        }
        return new VerifyResult.Check(VerifyResult.CHECK_CLIENT_SIDE, true, "no client-side encryption, not required");
    }

    private VerifyResult.Check checkSseKey(String sseKeyId, List<String> allowed) {
        if (sseKeyId != null) {
            for (String entry : allowed) {
                if (matchesKey(sseKeyId, entry)) {
                    return new VerifyResult.Check(VerifyResult.CHECK_SSE_KEY, true, "S3 key allowed");
                }
            }
        }
        String reported = sseKeyId == null ? "no KMS key ID" : "KMS key '" + sseKeyId + "'";
        return new VerifyResult.Check(VerifyResult.CHECK_SSE_KEY, false,
                "S3 reports " + reported + " for server-side encryption, which is not on the allowed list " + allowed);
    }

    private boolean matchesKey(String reportedKeyId, String entry) {
        String resolved = entry;
        if (providers.containsKey(KeyProviderId.AWS_KMS) && isAlias(entry)) {
            resolved = resolveTarget(KeyProviderId.AWS_KMS, entry);
        }
        return reportedKeyId.equals(resolved) || KeyRewrapper.isOnKey(reportedKeyId, resolved)
                || KeyRewrapper.isOnKey(resolved, reportedKeyId);
    }

    private VerifyResult.Check checkEnvelope(S3Location location, HeadObjectResponse head, KeyBlock keyBlock, boolean headerOnly) {
        try {
            if (headerOnly) {
                // An empty range unwraps both data keys and checks the commitments and the header tag, reading no frame.
                decryptor.openRange(new S3RangeSource(s3, location, head.eTag()), head.contentLength(), keyBlock, 0, 0).close();
                return new VerifyResult.Check(VerifyResult.CHECK_ENVELOPE, true, "header authenticated");
            }
            try (InputStream body = s3.getObject(request -> request.bucket(location.bucket()).key(location.key()).ifMatch(head.eTag()));
                 InputStream plaintext = decryptor.open(body, keyBlock)) {
                long bytes = plaintext.transferTo(OutputStream.nullOutputStream());
                return new VerifyResult.Check(VerifyResult.CHECK_ENVELOPE, true, "all frames authenticated, " + bytes + " plaintext bytes");
            }
        } catch (IOException | RuntimeException e) {
            return new VerifyResult.Check(VerifyResult.CHECK_ENVELOPE, false, ObjectReadException.of(location, e).causeLine());
        }
    }

    /** Reads the key block from HEAD's metadata; when it is missing, reads the header to say whether the object is DSSE at all. */
    private KeyBlock keyBlock(S3Location location, HeadObjectResponse head) {
        try {
            String encoded = head.metadata().get(KeyBlock.S3_METADATA_NAME);
            if (encoded == null) {
                readHeader(location, head);
            }
            return KeyBlock.fromBase64(encoded);
        } catch (RuntimeException e) {
            throw ObjectReadException.of(location, e);
        }
    }

    private EnvelopeHeader readHeader(S3Location location, HeadObjectResponse head) {
        try {
            return EnvelopeDecryptor.readHeader(new S3RangeSource(s3, location, head.eTag()), head.contentLength());
        } catch (IOException | RuntimeException e) {
            throw ObjectReadException.of(location, e);
        }
    }

    private String resolveTarget(KeyProviderId provider, String target) {
        if (target == null || provider != KeyProviderId.AWS_KMS) {
            return target;
        }
        // The key block records key ARNs, so a target is compared, and reported, by its key ARN.
        return keyArn(target);
    }

    /**
     * Returns the ARN of an AWS KMS key given as key ID, alias or ARN, from KMS DescribeKey (one call
     * per distinct value). Returns {@code keyId} unchanged when it already is a key ARN or no AWS KMS
     * key provider is configured.
     *
     * @throws io.github.dssesink.crypto.EnvelopeException if DescribeKey fails, such as for an unknown key
     */
    public String keyArn(String keyId) {
        if (keyId.startsWith("arn:") && !isAlias(keyId)) {
            return keyId;
        }
        KeyProvider kms = providers.get(KeyProviderId.AWS_KMS);
        if (kms == null) {
            return keyId;
        }
        return resolvedKeyArns.computeIfAbsent(keyId, id -> kms.describeKey(id).arn());
    }

    private static boolean isAlias(String keyId) {
        return keyId.startsWith("alias/") || keyId.contains(":alias/");
    }

    private void replaceKeyBlock(S3Location location, HeadObjectResponse head, KeyBlock keyBlock, String fallbackSseKeyId) {
        Map<String, String> metadata = new HashMap<>(head.metadata());
        metadata.put(KeyBlock.S3_METADATA_NAME, keyBlock.toBase64());
        String sse = head.serverSideEncryptionAsString();
        String sseKeyId = head.ssekmsKeyId();
        if (sse == null) {
            if (fallbackSseKeyId == null) {
                throw new ObjectReadException(location, ObjectReadException.Kind.SERVER_SIDE_ENCRYPTION,
                        "S3 reports no server-side encryption for the object, so the copy cannot repeat it;"
                                + " give the DSSE-KMS key ID to send with the copy (dsse rewrap --sse-kms-key-id)", null);
            }
            sse = DSSE;
            sseKeyId = fallbackSseKeyId;
        } else if (sseKeyId == null && sse.startsWith("aws:kms")) {
            sseKeyId = fallbackSseKeyId;
        }
        CopySettings settings = new CopySettings(metadata, sse, sseKeyId);
        if (head.contentLength() > multipartCopyThreshold) {
            copyInParts(location, head, settings);
        } else {
            copyOnce(location, head, settings);
        }
    }

    private record CopySettings(Map<String, String> metadata, String sse, String sseKeyId) {
    }

    // NOTE: the copy carries user metadata, Content-Type and the other content headers, storage
    // class, SSE and tags, but not object ACLs, Expires or object lock settings.
    private void copyOnce(S3Location location, HeadObjectResponse head, CopySettings settings) {
        // If-Match on the source makes the copy fail instead of overwriting a newer object written meanwhile.
        s3.copyObject(request -> request
                .sourceBucket(location.bucket()).sourceKey(location.key())
                .destinationBucket(location.bucket()).destinationKey(location.key())
                .copySourceIfMatch(head.eTag())
                .metadataDirective(MetadataDirective.REPLACE)
                .metadata(settings.metadata())
                .contentType(head.contentType())
                .cacheControl(head.cacheControl())
                .contentDisposition(head.contentDisposition())
                .contentEncoding(head.contentEncoding())
                .contentLanguage(head.contentLanguage())
                .storageClass(head.storageClassAsString())
                .serverSideEncryption(settings.sse())
                .ssekmsKeyId(settings.sseKeyId()));
    }

    /** Copies an object onto itself with UploadPartCopy; S3 requires this above 5 GiB. */
    private void copyInParts(S3Location location, HeadObjectResponse head, CopySettings settings) {
        long length = head.contentLength();
        long partSize = Math.max(copyPartSize, (length + MAX_PART_COUNT - 1) / MAX_PART_COUNT);
        String uploadId = s3.createMultipartUpload(request -> request
                .bucket(location.bucket()).key(location.key())
                .metadata(settings.metadata())
                .contentType(head.contentType())
                .cacheControl(head.cacheControl())
                .contentDisposition(head.contentDisposition())
                .contentEncoding(head.contentEncoding())
                .contentLanguage(head.contentLanguage())
                .storageClass(head.storageClassAsString())
                .serverSideEncryption(settings.sse())
                .ssekmsKeyId(settings.sseKeyId())).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (long offset = 0; offset < length; offset += partSize) {
                int partNumber = parts.size() + 1;
                String range = "bytes=" + offset + "-" + (Math.min(length, offset + partSize) - 1);
                String partETag = s3.uploadPartCopy(request -> request
                        .sourceBucket(location.bucket()).sourceKey(location.key())
                        .destinationBucket(location.bucket()).destinationKey(location.key())
                        .uploadId(uploadId).partNumber(partNumber)
                        .copySourceRange(range)
                        .copySourceIfMatch(head.eTag())).copyPartResult().eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(partETag).build());
            }
            s3.completeMultipartUpload(request -> request
                    .bucket(location.bucket()).key(location.key()).uploadId(uploadId)
                    .multipartUpload(upload -> upload.parts(parts)));
        } catch (RuntimeException e) {
            try {
                s3.abortMultipartUpload(request -> request.bucket(location.bucket()).key(location.key()).uploadId(uploadId));
            } catch (RuntimeException abortFailure) {
                e.addSuppressed(abortFailure);
            }
            throw e;
        }
    }

    /** Settings of a {@link DsseReader}. */
    public static final class Builder {
        private S3Client s3;
        private final Map<KeyProviderId, KeyProvider> providers = new EnumMap<>(KeyProviderId.class);
        private Collection<String> allowedKeyIds = List.of();
        private Map<String, String> requiredContext = Map.of();
        private long multipartCopyThreshold = MAX_SINGLE_COPY_SIZE_IN_BYTES;
        private long copyPartSize = DEFAULT_COPY_PART_SIZE_IN_BYTES;

        public Builder s3Client(S3Client client) {
            this.s3 = Objects.requireNonNull(client, "client");
            return this;
        }

        /** Adds a key provider (AWS KMS or a local keyring); the key block names which one each layer needs. */
        public Builder keyProvider(KeyProvider provider) {
            providers.put(provider.id(), provider);
            return this;
        }

        /** Limits the KMS keys accepted for the two layers (key IDs, ARNs or aliases); empty accepts any. */
        public Builder allowedKeyIds(Collection<String> keyIds) {
            this.allowedKeyIds = List.copyOf(keyIds);
            return this;
        }

        /** Requires these encryption context pairs in every object decrypted or verified. */
        public Builder requiredContext(Map<String, String> context) {
            this.requiredContext = Map.copyOf(context);
            return this;
        }

        /**
         * Sets the object size above which a re-wrap copies in parts with UploadPartCopy instead of
         * one CopyObject (default and maximum 5 GiB).
         */
        public Builder multipartCopyThreshold(long sizeInBytes) {
            if (sizeInBytes < 0 || sizeInBytes > MAX_SINGLE_COPY_SIZE_IN_BYTES) {
                throw new IllegalArgumentException("Invalid multipart copy threshold " + sizeInBytes
                        + ": it must be between 0 and " + MAX_SINGLE_COPY_SIZE_IN_BYTES + " bytes");
            }
            this.multipartCopyThreshold = sizeInBytes;
            return this;
        }

        /**
         * Sets the part size of a multipart copy (at least 5 MiB, default 512 MiB; raised when 10,000
         * parts would not hold the object).
         */
        public Builder copyPartSize(long sizeInBytes) {
            if (sizeInBytes < MIN_COPY_PART_SIZE_IN_BYTES) {
                throw new IllegalArgumentException("Invalid copy part size " + sizeInBytes + ": S3 requires at least "
                        + MIN_COPY_PART_SIZE_IN_BYTES + " bytes");
            }
            this.copyPartSize = sizeInBytes;
            return this;
        }

        public DsseReader build() {
            if (providers.isEmpty()) {
                throw new IllegalStateException("No key provider configured: add AWS KMS or a local keyring");
            }
            return new DsseReader(this);
        }
    }
}
