package io.github.dssesink.connector;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.common.TopicPartition;

import io.github.dssesink.connector.config.DsseS3SinkConfig;
import io.github.dssesink.connector.config.ServerSideEncryption;
import io.github.dssesink.connector.format.CompressionType;
import io.github.dssesink.connector.format.RecordFormat;
import io.github.dssesink.connector.storage.OutputObject;
import io.github.dssesink.connector.storage.S3PartOutputStream;
import io.github.dssesink.crypto.EnvelopeEncryptor;
import software.amazon.awssdk.services.s3.S3Client;

/** Settings that every topic-partition writer of a task shares: the S3 client, format, encryption and rotation settings. */
final class WriterSettings {

    static final String CONTEXT_PURPOSE = "dsse-sink:purpose";
    static final String CONTEXT_CONNECTOR = "dsse-sink:connector";
    static final String CONTEXT_TOPIC = "dsse-sink:topic";
    static final String PURPOSE = "kafka-connect-s3-sink";
    private static final String OFFSET_FORMAT = "%010d";

    private final String connectorName;
    private final S3Client s3;
    private final String bucket;
    private final String topicsDir;
    private final int partSize;
    private final ServerSideEncryption sse;
    private final CompressionType compression;
    private final RecordFormat format;
    private final Function<String, EnvelopeEncryptor> encryptors;
    private final int flushSize;
    private final long flushSizeBytes;
    private final long rotateIntervalMs;
    private final long rotateScheduleIntervalMs;
    private final ZoneId timezone;
    private final SinkTaskMetrics metrics;

    /** @param encryptors returns the encryptor of a topic, or null when client-side encryption is off */
    WriterSettings(String connectorName, DsseS3SinkConfig config, S3Client s3, RecordFormat format,
                   Function<String, EnvelopeEncryptor> encryptors, SinkTaskMetrics metrics) {
        this.connectorName = connectorName;
        this.s3 = s3;
        this.bucket = config.getString(DsseS3SinkConfig.S3_BUCKET_NAME);
        this.topicsDir = trimSlashes(config.getString(DsseS3SinkConfig.TOPICS_DIR));
        this.partSize = config.getInt(DsseS3SinkConfig.S3_PART_SIZE);
        this.sse = config.serverSideEncryption();
        this.compression = config.compressionType();
        this.format = format;
        this.encryptors = encryptors;
        this.flushSize = config.getInt(DsseS3SinkConfig.FLUSH_SIZE);
        this.flushSizeBytes = config.getLong(DsseS3SinkConfig.FLUSH_SIZE_BYTES);
        this.rotateIntervalMs = config.getLong(DsseS3SinkConfig.ROTATE_INTERVAL_MS);
        this.rotateScheduleIntervalMs = config.getLong(DsseS3SinkConfig.ROTATE_SCHEDULE_INTERVAL_MS);
        this.timezone = config.timezone();
        this.metrics = metrics;
    }

    /**
     * Returns the object key: {@code <topics.dir>/<topic>/<encoded partition>/<topic>+<partition>+<start offset>.<ext>},
     * with the start offset zero-padded to 10 digits, so a retry after a crash writes the same key.
     */
    String objectKey(TopicPartition topicPartition, String encodedPartition, long startOffset) {
        String fileName = topicPartition.topic() + "+" + topicPartition.partition() + "+"
                + String.format(OFFSET_FORMAT, startOffset) + "." + format.extension() + compression.extension();
        String prefix = topicsDir.isEmpty() ? "" : topicsDir + "/";
        return prefix + topicPartition.topic() + "/" + encodedPartition + "/" + fileName;
    }

    OutputObject newObject(TopicPartition topicPartition, String encodedPartition, long startOffset,
                           long recordTimeMs, long nowMs) throws IOException {
        String key = objectKey(topicPartition, encodedPartition, startOffset);
        S3PartOutputStream upload = new S3PartOutputStream(s3, bucket, key, partSize, sse, metrics::uploadRequest);
        Map<String, String> context = Map.of(
                CONTEXT_PURPOSE, PURPOSE,
                CONTEXT_CONNECTOR, connectorName,
                CONTEXT_TOPIC, topicPartition.topic());
        OutputObject object = new OutputObject(upload, encryptors.apply(topicPartition.topic()), context, compression, format,
                topicPartition.topic(), topicPartition.partition(), startOffset, recordTimeMs, rotationDeadline(nowMs),
                metrics::encryptionWrites);
        metrics.encryptionSetup(object.encryptionSetupNanos());
        return object;
    }

    /**
     * Returns the next boundary of {@code rotate.schedule.interval.ms} after {@code nowMs}, counted
     * from local midnight of 1970-01-01 in the configured time zone, or Long.MAX_VALUE if the
     * schedule is off.
     */
    long rotationDeadline(long nowMs) {
        if (rotateScheduleIntervalMs <= 0) {
            return Long.MAX_VALUE;
        }
        return nextLocalBoundary(nowMs, rotateScheduleIntervalMs, timezone);
    }

    /**
     * Returns the first instant after {@code nowMs} whose local time in {@code zone} is a multiple
     * of {@code intervalMs} since local midnight of 1970-01-01. The boundary is placed in local time
     * and then converted with the zone's offset at that boundary, so daylight saving changes between
     * now and the boundary do not shift it. A boundary in a spring-forward gap moves to the end of
     * the gap; in an autumn overlap the earlier instant is taken.
     */
    static long nextLocalBoundary(long nowMs, long intervalMs, ZoneId zone) {
        long localNowMs = nowMs + zone.getRules().getOffset(Instant.ofEpochMilli(nowMs)).getTotalSeconds() * 1000L;
        long boundaryLocalMs = (Math.floorDiv(localNowMs, intervalMs) + 1) * intervalMs;
        // A guard: a boundary at or before now needs an offset change longer than the way to the boundary.
        for (int step = 0; step < 3; step++) {
            long boundaryMs = LocalDateTime.ofEpochSecond(Math.floorDiv(boundaryLocalMs, 1000L),
                            (int) Math.floorMod(boundaryLocalMs, 1000L) * 1_000_000, ZoneOffset.UTC)
                    .atZone(zone).toInstant().toEpochMilli();
            if (boundaryMs > nowMs) {
                return boundaryMs;
            }
            boundaryLocalMs += intervalMs;
        }
        return nowMs + intervalMs;
    }

    String bucket() {
        return bucket;
    }

    int flushSize() {
        return flushSize;
    }

    long flushSizeBytes() {
        return flushSizeBytes;
    }

    long rotateIntervalMs() {
        return rotateIntervalMs;
    }

    long rotateScheduleIntervalMs() {
        return rotateScheduleIntervalMs;
    }

    SinkTaskMetrics metrics() {
        return metrics;
    }

    private static String trimSlashes(String path) {
        String trimmed = path.trim();
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }
}
