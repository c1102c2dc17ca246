package io.github.dssesink.reader;

import java.util.Map;
import java.util.SortedMap;

import io.github.dssesink.crypto.KeyBlock;

/**
 * The S3 metadata and envelope header fields of one object, read without decrypting anything: HEAD
 * and, for an object with client-side encryption, a ranged GET of the header.
 *
 * @param location the object
 * @param objectLength the stored length in bytes (S3 Content-Length)
 * @param contentType the S3 Content-Type, or null
 * @param serverSideEncryption the S3 server-side encryption that HEAD reports, such as
 *     {@code aws:kms:dsse}, or null when S3 reports none
 * @param sseKmsKeyId the KMS key ID of S3 server-side encryption that HEAD reports, or null
 * @param userMetadata the S3 user metadata, names without the {@code x-amz-meta-} prefix
 * @param envelope the client-side encryption fields, or null when the connector wrote the object
 *     without client-side encryption
 */
public record ObjectInfo(
        S3Location location,
        long objectLength,
        String contentType,
        String serverSideEncryption,
        String sseKmsKeyId,
        Map<String, String> userMetadata,
        Envelope envelope) {

    /**
     * The envelope header fields and the key block of an object with client-side encryption.
     *
     * @param formatVersion the envelope format version
     * @param frameSizeInBytes plaintext bytes per frame
     * @param frameCount the number of frames
     * @param plaintextLength the plaintext length in bytes
     * @param encryptionContext the encryption context recorded in the header
     * @param keyBlock the wrapped data keys, from the {@value KeyBlock#S3_METADATA_NAME} metadata
     */
    public record Envelope(
            int formatVersion,
            int frameSizeInBytes,
            long frameCount,
            long plaintextLength,
            SortedMap<String, String> encryptionContext,
            KeyBlock keyBlock) {
    }

    /** Cipher of layer 1 in format version 1. */
    public static final String LAYER1_ALGORITHM = "AES-256-GCM (JCA), HKDF-SHA-256 content key, committed";
    /** Cipher of layer 2 in format version 1. */
    public static final String LAYER2_ALGORITHM = "AES-256-GCM (Bouncy Castle), HKDF-SHA-256 content key, committed";

    public ObjectInfo {
        userMetadata = Map.copyOf(userMetadata);
    }

    /** Returns true when the object has client-side encryption (a key block and an envelope). */
    public boolean clientSideEncrypted() {
        return envelope != null;
    }

    /** Returns the Kafka topic that the connector recorded, or null. */
    public String topic() {
        return userMetadata.get(ConnectorMetadata.TOPIC);
    }

    /** Returns the Kafka partition that the connector recorded, or null. */
    public String partition() {
        return userMetadata.get(ConnectorMetadata.PARTITION);
    }

    /** Returns the offset of the first record, or null. */
    public String startOffset() {
        return userMetadata.get(ConnectorMetadata.START_OFFSET);
    }

    /** Returns the offset of the last record, or null when the connector did not record it (multipart uploads). */
    public String endOffset() {
        return userMetadata.get(ConnectorMetadata.END_OFFSET);
    }

    /** Returns the record count, or null when the connector did not record it (multipart uploads). */
    public String recordCount() {
        return userMetadata.get(ConnectorMetadata.RECORD_COUNT);
    }

    /** Returns the output format name that the connector recorded, such as {@code json}, or null. */
    public String format() {
        return userMetadata.get(ConnectorMetadata.FORMAT);
    }
}
