package io.github.dssesink.connector;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.dssesink.connector.storage.OutputObject;

/**
 * The open objects of one topic-partition, one per encoded partition, and the offsets they cover.
 *
 * <p>Offset rule: every record below the committable offset is in a completed object or was
 * skipped on purpose. With no open object, it is the offset after the last record handled.
 * Otherwise it is the lowest start offset of the open objects, because records arrive in offset
 * order and each record goes to exactly one object.
 *
 * <p>After a failed upload the writer drops its open objects and waits for the records again
 * from the first dropped offset (the resume offset); the task rewinds the consumer there. The
 * first record from the rewound consumer is the first one still in the topic at or after the
 * resume offset: on a compacted topic, or after retention deleted the resume offset, it comes
 * later. Records of the batch that Connect delivers again after the failure are dropped, because
 * they may start after records that the rewound consumer still has to deliver. Records at or below
 * the last handled offset are duplicates and are dropped.
 */
final class TopicPartitionWriter {

    private static final Logger log = LoggerFactory.getLogger(TopicPartitionWriter.class);

    private final TopicPartition topicPartition;
    private final WriterSettings settings;
    private final Map<String, OutputObject> openObjects = new LinkedHashMap<>();
    private long lastHandledOffset = -1;
    private long lastCommittedOffset = -1;
    /** The first offset to write again after a failure, or -1. A later offset is accepted when this one is no longer in the topic. */
    private long resumeOffset = -1;
    /** The start offset of an object whose completion failed and that is already aborted, or -1. */
    private long failedStartOffset = -1;

    TopicPartitionWriter(TopicPartition topicPartition, WriterSettings settings) {
        this.topicPartition = topicPartition;
        this.settings = settings;
    }

    /**
     * Returns false for a record this writer must not handle: a duplicate, a record before the
     * resume offset, or, while the writer waits for the rewound consumer, a record of the batch
     * that Connect delivers again.
     *
     * @param redelivered whether the record is part of a batch that Connect delivers again after
     *                    {@code put} threw a RetriableException
     */
    boolean admits(SinkRecord record, boolean redelivered) {
        long offset = record.kafkaOffset();
        if (resumeOffset < 0) {
            return offset > lastHandledOffset;
        }
        if (redelivered || offset < resumeOffset) {
            return false;
        }
        if (offset > resumeOffset) {
            log.warn("Resuming {} at offset {} instead of {}: the records between are no longer in the topic"
                    + " (removed by compaction or retention)", topicPartition, offset, resumeOffset);
        }
        resumeOffset = -1;
        return true;
    }

    /** Returns whether the writer dropped records after a failure and waits for them from the rewound consumer. */
    boolean awaitsRewind() {
        return resumeOffset >= 0;
    }

    /** Records that a record was handled without being written (a skipped null or an errant record). */
    void skip(SinkRecord record) {
        lastHandledOffset = record.kafkaOffset();
    }

    /**
     * Writes a record into the object of its encoded partition, completing objects that reach a
     * rotation limit. A conversion failure ({@link org.apache.kafka.connect.errors.DataException})
     * leaves every object as it was.
     */
    void write(SinkRecord record, String encodedPartition, long recordTimeMs, long nowMs) throws IOException {
        OutputObject object = openObjects.get(encodedPartition);
        if (object != null && (!object.accepts(record) || recordTimeExceeded(object, recordTimeMs))) {
            complete(encodedPartition, object);
            object = null;
        }
        boolean created = object == null;
        if (created) {
            object = settings.newObject(topicPartition, encodedPartition, record.kafkaOffset(), recordTimeMs, nowMs);
            openObjects.put(encodedPartition, object);
        }

        long before = object.recordBytes();
        try {
            object.write(record);
        } catch (DataException e) {
            // An object starts with its first written record, so its key names that record's offset.
            if (created) {
                openObjects.remove(encodedPartition);
                object.abort();
            }
            throw e;
        }
        settings.metrics().recordWritten(object.recordBytes() - before);
        lastHandledOffset = record.kafkaOffset();

        if (object.recordCount() >= settings.flushSize()
                || (settings.flushSizeBytes() > 0 && object.recordBytes() >= settings.flushSizeBytes())) {
            complete(encodedPartition, object);
        }
    }

    /** Completes the objects whose wall-clock rotation deadline has passed, even with no new records. */
    void completeDueObjects(long nowMs) throws IOException {
        List<String> due = new ArrayList<>();
        openObjects.forEach((encodedPartition, object) -> {
            if (nowMs >= object.rotationDeadlineMs()) {
                due.add(encodedPartition);
            }
        });
        for (String encodedPartition : due) {
            OutputObject object = openObjects.remove(encodedPartition);
            if (object.recordCount() > 0) {
                log.debug("Completing {} at its scheduled rotation", object.key());
                completeUpload(object);
            } else {
                object.abort();
            }
        }
    }

    /** Returns the earliest wall-clock rotation deadline of the open objects, or Long.MAX_VALUE. */
    long nextDeadlineMs() {
        long next = Long.MAX_VALUE;
        for (OutputObject object : openObjects.values()) {
            next = Math.min(next, object.rotationDeadlineMs());
        }
        return next;
    }

    /** Returns the offset to commit if it moved since the last call, following the class's offset rule. */
    OptionalLong takeCommittableOffset() {
        if (resumeOffset >= 0 || lastHandledOffset < 0) {
            return OptionalLong.empty();
        }
        long committable = lastHandledOffset + 1;
        for (OutputObject object : openObjects.values()) {
            committable = Math.min(committable, object.startOffset());
        }
        if (committable <= lastCommittedOffset) {
            return OptionalLong.empty();
        }
        lastCommittedOffset = committable;
        return OptionalLong.of(committable);
    }

    /**
     * Drops every open object after a failure and returns the offset from which the records must
     * be delivered again, or -1 if no record was lost with the objects.
     */
    long discardAfterFailure() {
        long resume = failedStartOffset;
        failedStartOffset = -1;
        for (OutputObject object : openObjects.values()) {
            object.abort();
            resume = resume < 0 ? object.startOffset() : Math.min(resume, object.startOffset());
        }
        openObjects.clear();
        if (resume >= 0) {
            resumeOffset = resume;
            lastHandledOffset = resume - 1;
        }
        return resume;
    }

    /** Aborts the open objects without uploading them, for a revoked partition or a stopping task. */
    void close() {
        for (OutputObject object : openObjects.values()) {
            object.abort();
        }
        openObjects.clear();
    }

    TopicPartition topicPartition() {
        return topicPartition;
    }

    private boolean recordTimeExceeded(OutputObject object, long recordTimeMs) {
        long interval = settings.rotateIntervalMs();
        return interval > 0 && recordTimeMs - object.firstRecordTimeMs() >= interval;
    }

    private void complete(String encodedPartition, OutputObject object) throws IOException {
        openObjects.remove(encodedPartition);
        completeUpload(object);
    }

    private void completeUpload(OutputObject object) throws IOException {
        try {
            object.complete();
        } catch (IOException | RuntimeException e) {
            object.abort();
            failedStartOffset = failedStartOffset < 0 ? object.startOffset() : Math.min(failedStartOffset, object.startOffset());
            throw e;
        }
        settings.metrics().objectCompleted();
        log.info("Completed s3://{}/{} with {} records, offsets {} to {}", settings.bucket(), object.key(),
                object.recordCount(), object.startOffset(), object.endOffset());
    }
}
