package io.github.dssesink.connector;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.dssesink.crypto.EnvelopeEncryptor;

/**
 * The metrics of one task, registered as the MBean
 * {@code io.github.dssesink:type=sink-task,connector=<name>,task=<id>}.
 */
public final class SinkTaskMetrics implements SinkTaskMetricsMBean {

    private static final Logger log = LoggerFactory.getLogger(SinkTaskMetrics.class);

    private final AtomicLong recordsWritten = new AtomicLong();
    private final AtomicLong recordBytesWritten = new AtomicLong();
    private final AtomicLong objectsCompleted = new AtomicLong();
    private final AtomicLong uploadRequests = new AtomicLong();
    private final AtomicLong uploadNanos = new AtomicLong();
    private final AtomicLong uploadBytes = new AtomicLong();
    private final AtomicLong encryptionSetupNanos = new AtomicLong();
    private final AtomicLong encryptionWriteNanos = new AtomicLong();
    private final AtomicLong errantRecords = new AtomicLong();
    private volatile java.util.function.LongSupplier keyServiceCalls = () -> 0L;
    private ObjectName name;

    public static ObjectName objectName(String connector, String taskId) throws JMException {
        return new ObjectName("io.github.dssesink:type=sink-task,connector=" + ObjectName.quote(connector)
                + ",task=" + ObjectName.quote(taskId));
    }

    /** Registers this MBean; a failure is logged, because metrics must not stop the task. */
    void register(String connector, String taskId) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            name = objectName(connector, taskId);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(this, name);
        } catch (JMException e) {
            log.warn("Could not register the metrics MBean of connector {} task {}: {}", connector, taskId, e.toString());
            name = null;
        }
    }

    void unregister() {
        if (name == null) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (JMException e) {
            log.debug("Could not unregister {}: {}", name, e.toString());
        }
        name = null;
    }

    void keyServiceCalls(java.util.function.LongSupplier supplier) {
        keyServiceCalls = supplier;
    }

    void recordWritten(long bytes) {
        recordsWritten.incrementAndGet();
        recordBytesWritten.addAndGet(bytes);
    }

    void objectCompleted() {
        objectsCompleted.incrementAndGet();
    }

    void uploadRequest(long nanos, long bytes) {
        uploadRequests.incrementAndGet();
        uploadNanos.addAndGet(nanos);
        uploadBytes.addAndGet(bytes);
    }

    void encryptionSetup(long nanos) {
        encryptionSetupNanos.addAndGet(nanos);
    }

    void encryptionWrites(long nanos) {
        encryptionWriteNanos.addAndGet(nanos);
    }

    void errantRecord() {
        errantRecords.incrementAndGet();
    }

    @Override
    public long getRecordsWritten() {
        return recordsWritten.get();
    }

    @Override
    public long getRecordBytesWritten() {
        return recordBytesWritten.get();
    }

    @Override
    public long getObjectsCompleted() {
        return objectsCompleted.get();
    }

    @Override
    public long getUploadRequests() {
        return uploadRequests.get();
    }

    @Override
    public long getUploadBytes() {
        return uploadBytes.get();
    }

    @Override
    public double getUploadLatencyAvgMs() {
        long requests = uploadRequests.get();
        return requests == 0 ? 0.0 : uploadNanos.get() / 1e6 / requests;
    }

    @Override
    public double getEncryptionSetupTimeTotalMs() {
        return encryptionSetupNanos.get() / 1e6;
    }

    @Override
    public double getEncryptionTimeTotalMs() {
        return (encryptionSetupNanos.get() + encryptionWriteNanos.get()) / 1e6;
    }

    @Override
    public long getKmsCalls() {
        return keyServiceCalls.getAsLong();
    }

    @Override
    public int getLayer2Native() {
        return EnvelopeEncryptor.isLayer2Native() ? 1 : 0;
    }

    @Override
    public long getErrantRecords() {
        return errantRecords.get();
    }
}
