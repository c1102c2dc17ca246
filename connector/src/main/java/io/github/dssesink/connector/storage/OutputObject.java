package io.github.dssesink.connector.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.function.LongConsumer;

import org.apache.kafka.connect.sink.SinkRecord;

import io.github.dssesink.connector.format.CompressionType;
import io.github.dssesink.connector.format.RecordFormat;
import io.github.dssesink.connector.format.RecordWriter;
import io.github.dssesink.connector.format.ShieldedOutputStream;
import io.github.dssesink.crypto.EncryptingOutputStream;
import io.github.dssesink.crypto.EnvelopeEncryptor;
import io.github.dssesink.crypto.KeyBlock;

/**
 * One object being written: format writer, then optional compression, then the dual-layer
 * encryption stream (when client-side encryption is on), then the part-by-part S3 upload.
 * Holds the object's first and last offsets and its record count. Not thread-safe.
 */
public final class OutputObject {

    public static final String METADATA_TOPIC = "dsse-topic";
    public static final String METADATA_PARTITION = "dsse-partition";
    public static final String METADATA_START_OFFSET = "dsse-start-offset";
    public static final String METADATA_END_OFFSET = "dsse-end-offset";
    public static final String METADATA_RECORD_COUNT = "dsse-record-count";
    public static final String METADATA_FORMAT = "dsse-format";

    private final S3PartOutputStream upload;
    private final EncryptingOutputStream encryption;
    private final EncryptionTimer encryptionTimer;
    private final LongConsumer encryptionTimeListener;
    private final OutputStream compression;
    private final RecordWriter writer;
    private final long startOffset;
    private final long firstRecordTimeMs;
    private final long rotationDeadlineMs;
    private final long encryptionNanosAtOpen;
    private long endOffset = -1;
    private long recordCount;
    private long recordBytes;

    /**
     * Starts an object whose key is already fixed; sends nothing to S3 until a part fills or the
     * object completes, but requests data keys from the key service when encryption is on.
     *
     * @param encryptor the encryptor for this topic, or null without client-side encryption
     * @param rotationDeadlineMs the wall-clock time at which the object completes, or Long.MAX_VALUE
     * @param encryptionTimeListener receives the nanoseconds the encryption stream spent on each
     *                               record and on the final frame, upload time excluded
     */
    public OutputObject(S3PartOutputStream upload, EnvelopeEncryptor encryptor, Map<String, String> encryptionContext,
                        CompressionType compressionType, RecordFormat format, String topic, int partition,
                        long startOffset, long firstRecordTimeMs, long rotationDeadlineMs,
                        LongConsumer encryptionTimeListener) throws IOException {
        this.upload = upload;
        this.encryptionTimeListener = encryptionTimeListener;
        this.startOffset = startOffset;
        this.firstRecordTimeMs = firstRecordTimeMs;
        this.rotationDeadlineMs = rotationDeadlineMs;
        upload.putMetadata(METADATA_TOPIC, topic);
        upload.putMetadata(METADATA_PARTITION, Integer.toString(partition));
        upload.putMetadata(METADATA_START_OFFSET, Long.toString(startOffset));
        upload.putMetadata(METADATA_FORMAT, format.name());

        long start = System.nanoTime();
        OutputStream plaintextSink = upload;
        if (encryptor != null) {
            encryptionTimer = new EncryptionTimer();
            encryption = encryptor.open(encryptionTimer.excludeWrites(upload), encryptionContext);
            upload.putMetadata(KeyBlock.S3_METADATA_NAME, encryption.keyBlock().toBase64());
            plaintextSink = encryptionTimer.timeWrites(encryption);
        } else {
            encryptionTimer = null;
            encryption = null;
        }
        this.encryptionNanosAtOpen = System.nanoTime() - start;
        this.compression = compressionType.wrap(new ShieldedOutputStream(plaintextSink));
        this.writer = format.newWriter(compression);
    }

    /** Returns false when the record cannot join this object, so it must complete first. */
    public boolean accepts(SinkRecord record) {
        return writer.accepts(record);
    }

    /** Writes a record; a conversion failure leaves the object as it was. */
    public void write(SinkRecord record) throws IOException {
        recordBytes += writer.write(record);
        endOffset = record.kafkaOffset();
        recordCount++;
        reportEncryptionTime();
    }

    /** Writes the format's trailer, the compression trailer and the final frame, then completes the upload. */
    public void complete() throws IOException {
        writer.finish();
        compression.close();
        if (encryption != null) {
            encryptionTimer.time(encryption::finish);
            reportEncryptionTime();
        }
        upload.complete(Map.of(
                METADATA_END_OFFSET, Long.toString(endOffset),
                METADATA_RECORD_COUNT, Long.toString(recordCount)));
    }

    /** Discards the object and aborts its multipart upload, if one started. An S3 error is logged, not thrown. */
    public void abort() {
        if (encryption != null) {
            encryption.abandon();
        }
        upload.abort();
    }

    private void reportEncryptionTime() {
        if (encryptionTimer != null) {
            encryptionTimeListener.accept(encryptionTimer.takeNanos());
        }
    }

    public String key() {
        return upload.key();
    }

    public long startOffset() {
        return startOffset;
    }

    public long endOffset() {
        return endOffset;
    }

    public long recordCount() {
        return recordCount;
    }

    /** Returns the record bytes the format wrote, before compression and encryption. */
    public long recordBytes() {
        return recordBytes;
    }

    public long firstRecordTimeMs() {
        return firstRecordTimeMs;
    }

    public long rotationDeadlineMs() {
        return rotationDeadlineMs;
    }

    public long encryptionSetupNanos() {
        return encryptionNanosAtOpen;
    }
}
