package io.github.dssesink.reader;

/**
 * S3 user metadata names that the DSSE Sink connector writes on its objects (sent as
 * {@code x-amz-meta-<name>}).
 */
public final class ConnectorMetadata {
    /** The Kafka topic of the records; on every object. */
    public static final String TOPIC = "dsse-topic";
    /** The Kafka partition of the records; on every object. */
    public static final String PARTITION = "dsse-partition";
    /** The offset of the first record; on every object. */
    public static final String START_OFFSET = "dsse-start-offset";
    /** The output format, such as {@code json}; on every object. */
    public static final String FORMAT = "dsse-format";
    /** The offset of the last record; only on objects written with a single PutObject. */
    public static final String END_OFFSET = "dsse-end-offset";
    /** The number of records; only on objects written with a single PutObject. */
    public static final String RECORD_COUNT = "dsse-record-count";

    private ConnectorMetadata() {
    }
}
