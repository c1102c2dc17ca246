package io.github.dssesink.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.management.JMException;
import javax.management.JMX;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;

import io.github.dssesink.connector.DsseS3SinkTask;
import io.github.dssesink.connector.SinkTaskMetrics;
import io.github.dssesink.connector.SinkTaskMetricsMBean;

/**
 * One timed run of a fresh {@link DsseS3SinkTask}. Start and open are not timed. The clock runs
 * while batches of records go to {@code put}, until every partition has written a whole number of
 * objects. The run then checks through {@code preCommit} that every record's object completed.
 */
final class SinkRun {

    static final String TOPIC = "flights";
    static final String CONNECTOR_NAME = "sink-cost";
    /** Connect's default max.poll.records, and so the usual size of a put batch. */
    static final int BATCH_SIZE = 500;

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** The measurements of one run. CPU and allocation figures are deltas over the timed part. */
    record Result(SinkCase sinkCase, long wallNanos, long records, long recordBytes, long objects, long kmsCalls,
                  long uploadRequests, double encryptionSetupMs, double encryptionMs, long processCpuNanos,
                  long taskThreadCpuNanos, long taskThreadAllocatedBytes) {

        double megabytesPerSecond() {
            return recordBytes / (wallNanos / 1e9) / 1e6;
        }
    }

    private SinkRun() {
    }

    /**
     * Runs one task over {@code partitions} partitions of {@link #TOPIC}, record i going to
     * partition i modulo {@code partitions}, until each partition has written
     * {@code objectsPerPartition} objects of {@code flush.size} records.
     */
    static Result run(SinkCase sinkCase, Map<String, String> props, FlightRecords pool, int partitions,
                      long objectsPerPartition) {
        Set<TopicPartition> assignment = new LinkedHashSet<>();
        for (int partition = 0; partition < partitions; partition++) {
            assignment.add(new TopicPartition(TOPIC, partition));
        }
        long recordsPerPartition = objectsPerPartition * Long.parseLong(props.get("flush.size"));
        long totalRecords = recordsPerPartition * partitions;

        DsseS3SinkTask task = new DsseS3SinkTask();
        HarnessTaskContext context = new HarnessTaskContext(props, assignment);
        task.initialize(context);
        task.start(props);
        try {
            task.open(assignment);
            SinkTaskMetricsMBean metrics = metrics();

            long cpuBefore = OS.getProcessCpuTime();
            long threadCpuBefore = THREADS.getCurrentThreadCpuTime();
            long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
            long start = System.nanoTime();
            putAll(task, pool, partitions, totalRecords);
            long wallNanos = System.nanoTime() - start;
            long taskThreadCpu = THREADS.getCurrentThreadCpuTime() - threadCpuBefore;
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
            long processCpu = OS.getProcessCpuTime() - cpuBefore;

            checkCommitted(task, assignment, recordsPerPartition, context);
            return new Result(sinkCase, wallNanos, metrics.getRecordsWritten(), metrics.getRecordBytesWritten(),
                    metrics.getObjectsCompleted(), metrics.getKmsCalls(), metrics.getUploadRequests(),
                    metrics.getEncryptionSetupTimeTotalMs(), metrics.getEncryptionTimeTotalMs(), processCpu, taskThreadCpu, allocated);
        } finally {
            task.stop();
        }
    }

    /**
     * Builds the same records as a run and drops them, with no task, and returns the time and the
     * calling thread's allocated bytes: the harness's own share of every run.
     */
    static long[] generateOnly(FlightRecords pool, int partitions, long totalRecords) {
        long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        long[] nextOffsets = new long[partitions];
        List<SinkRecord> batch = new ArrayList<>(BATCH_SIZE);
        long checksum = 0;
        for (long position = 0; position < totalRecords; position++) {
            int partition = (int) (position % partitions);
            long offset = nextOffsets[partition]++;
            batch.add(new SinkRecord(TOPIC, partition, null, null, Schema.OPTIONAL_BYTES_SCHEMA, pool.value(position),
                    offset, offset, TimestampType.CREATE_TIME));
            if (batch.size() == BATCH_SIZE) {
                checksum += batch.get(BATCH_SIZE - 1).kafkaOffset();
                batch = new ArrayList<>(BATCH_SIZE);
            }
        }
        long wallNanos = System.nanoTime() - start;
        return new long[] {wallNanos, THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore, checksum};
    }

    private static void putAll(DsseS3SinkTask task, FlightRecords pool, int partitions, long totalRecords) {
        long[] nextOffsets = new long[partitions];
        List<SinkRecord> batch = new ArrayList<>(BATCH_SIZE);
        for (long position = 0; position < totalRecords; position++) {
            int partition = (int) (position % partitions);
            long offset = nextOffsets[partition]++;
            batch.add(new SinkRecord(TOPIC, partition, null, null, Schema.OPTIONAL_BYTES_SCHEMA, pool.value(position),
                    offset, offset, TimestampType.CREATE_TIME));
            if (batch.size() == BATCH_SIZE) {
                task.put(batch);
                batch = new ArrayList<>(BATCH_SIZE);
            }
        }
        if (!batch.isEmpty()) {
            task.put(batch);
        }
    }

    /** Fails the run unless every partition's offsets up to its last record are committable. */
    private static void checkCommitted(DsseS3SinkTask task, Set<TopicPartition> assignment, long recordsPerPartition,
                                       HarnessTaskContext context) {
        Map<TopicPartition, OffsetAndMetadata> current = new HashMap<>();
        assignment.forEach(partition -> current.put(partition, new OffsetAndMetadata(recordsPerPartition)));
        Map<TopicPartition, OffsetAndMetadata> committable = task.preCommit(current);
        for (TopicPartition partition : assignment) {
            OffsetAndMetadata offset = committable.get(partition);
            if (offset == null || offset.offset() != recordsPerPartition) {
                throw new IllegalStateException("Run incomplete: " + partition + " can commit " + offset + " instead of offset "
                        + recordsPerPartition + "; offset resets requested by the task: " + context.offsetResets());
            }
        }
    }

    private static SinkTaskMetricsMBean metrics() {
        try {
            return JMX.newMBeanProxy(ManagementFactory.getPlatformMBeanServer(),
                    SinkTaskMetrics.objectName(CONNECTOR_NAME, "0"), SinkTaskMetricsMBean.class);
        } catch (JMException e) {
            throw new IllegalStateException("The sink task's metrics MBean is not available: " + e.getMessage(), e);
        }
    }
}
