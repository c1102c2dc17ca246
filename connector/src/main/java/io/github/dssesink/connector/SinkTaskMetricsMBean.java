package io.github.dssesink.connector;

/** The JMX view of {@link SinkTaskMetrics}; counters run from task start. */
public interface SinkTaskMetricsMBean {

    long getRecordsWritten();

    /** Returns the record bytes as the format wrote them, before compression and encryption. */
    long getRecordBytesWritten();

    long getObjectsCompleted();

    /** Returns the PutObject and UploadPart requests sent. */
    long getUploadRequests();

    long getUploadBytes();

    /** Returns the mean time of a PutObject or UploadPart request, retries included. */
    double getUploadLatencyAvgMs();

    /** Returns the time spent opening encrypted objects, data key requests included. */
    double getEncryptionSetupTimeTotalMs();

    /**
     * Returns the time spent encrypting: opening objects, data key requests included, and the
     * encryption stream's work on records and final frames. Upload time inside the stream's writes
     * is not included.
     */
    double getEncryptionTimeTotalMs();

    /** Returns the calls both layers' key providers made to the key service. */
    long getKmsCalls();

    /** Returns 1 when layer 2 runs Bouncy Castle's native AES-GCM, 0 when it runs in pure Java. */
    int getLayer2Native();

    /** Returns the records sent to the errant record reporter. */
    long getErrantRecords();
}
