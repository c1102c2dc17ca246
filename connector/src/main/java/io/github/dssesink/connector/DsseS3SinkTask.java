package io.github.dssesink.connector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.dssesink.connector.config.DsseS3SinkConfig;
import io.github.dssesink.connector.config.DsseS3SinkConfig.LayerKeys;
import io.github.dssesink.connector.config.DsseS3SinkConfig.NullValueBehavior;
import io.github.dssesink.connector.format.RecordFormats;
import io.github.dssesink.connector.partitioner.Partitioner;
import io.github.dssesink.connector.partitioner.Partitioners;
import io.github.dssesink.connector.partitioner.TimestampExtractor;
import io.github.dssesink.connector.partitioner.TimestampExtractors;
import io.github.dssesink.connector.storage.AwsClients;
import io.github.dssesink.connector.storage.S3UploadException;
import io.github.dssesink.crypto.DataKeyReusePolicy;
import io.github.dssesink.crypto.EnvelopeEncryptor;
import io.github.dssesink.crypto.EnvelopeException;
import io.github.dssesink.crypto.KeyProvider;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Writes the records of its topic-partitions into encrypted S3 objects and reports to Connect,
 * in {@link #preCommit}, only the offsets of records whose objects are complete in S3.
 */
public class DsseS3SinkTask extends SinkTask {

    /** The task config key that the connector adds to tell each task its number. */
    static final String TASK_ID = "dsse.task.id";
    static final String CONNECTOR_NAME = "name";
    private static final long MIN_WAKEUP_MS = 100;

    private static final Logger log = LoggerFactory.getLogger(DsseS3SinkTask.class);

    private final Map<TopicPartition, TopicPartitionWriter> writers = new HashMap<>();
    private final Map<LayerKeys, EnvelopeEncryptor> encryptors = new ConcurrentHashMap<>();
    private final SinkTaskMetrics metrics = new SinkTaskMetrics();
    private DsseS3SinkConfig config;
    private String connectorName;
    private S3Client s3;
    private KmsClient kms;
    private KeyProvider keyProvider;
    private Partitioner partitioner;
    private TimestampExtractor timestampExtractor;
    private NullValueBehavior nullValueBehavior;
    private WriterSettings settings;
    private ErrantRecordReporter errantRecordReporter;
    /** The first record and size of the batch whose put threw a RetriableException, or null. */
    private SinkRecord retriedBatchFirstRecord;
    private int retriedBatchSize;

    @Override
    public String version() {
        return Version.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        try {
            config = new DsseS3SinkConfig(props);
        } catch (ConfigException e) {
            throw new ConnectException("Invalid configuration of the DSSE S3 sink task: " + e.getMessage(), e);
        }
        connectorName = props.getOrDefault(CONNECTOR_NAME, "dsse-s3-sink");
        String taskId = props.getOrDefault(TASK_ID, "0");
        nullValueBehavior = config.nullValueBehavior();
        partitioner = Partitioners.create(config);
        timestampExtractor = TimestampExtractors.create(config.getString(DsseS3SinkConfig.TIMESTAMP_EXTRACTOR),
                config.getString(DsseS3SinkConfig.TIMESTAMP_FIELD));

        s3 = AwsClients.s3(config);
        boolean clientEncryption = config.getBoolean(DsseS3SinkConfig.CLIENT_ENCRYPTION_ENABLED);
        if (clientEncryption || config.serverSideEncryption().kmsKeyId() != null) {
            kms = AwsClients.kms(config);
        }
        keyProvider = clientEncryption ? KeyProviders.create(config, kms) : null;
        if (config.getBoolean(DsseS3SinkConfig.PREFLIGHT_ENABLED)) {
            runPreflight();
        }

        settings = new WriterSettings(connectorName, config, s3, RecordFormats.create(config),
                clientEncryption ? this::encryptorFor : topic -> null, metrics);
        metrics.keyServiceCalls(() -> keyProvider == null ? 0L : keyProvider.callCount());
        metrics.register(connectorName, taskId);
        errantRecordReporter = errantRecordReporter();
        log.info("DSSE S3 sink task {} of connector {} started: bucket {}, server-side encryption {}, client-side encryption {}",
                taskId, connectorName, config.getString(DsseS3SinkConfig.S3_BUCKET_NAME), config.serverSideEncryption(),
                clientEncryption ? "on" : "off");
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            writers.computeIfAbsent(partition, tp -> new TopicPartitionWriter(tp, settings));
        }
        log.debug("Opened {}", partitions);
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        boolean redelivered = isRetriedBatch(records);
        retriedBatchFirstRecord = null;
        long nowMs = System.currentTimeMillis();
        try {
            for (SinkRecord record : records) {
                TopicPartition partition = new TopicPartition(record.topic(), record.kafkaPartition());
                TopicPartitionWriter writer = writers.computeIfAbsent(partition, tp -> new TopicPartitionWriter(tp, settings));
                if (writer.admits(record, redelivered)) {
                    put(writer, record, nowMs);
                }
            }
            completeDueObjects(nowMs);
        } catch (RetriableException e) {
            if (!records.isEmpty()) {
                retriedBatchFirstRecord = records.iterator().next();
                retriedBatchSize = records.size();
            }
            throw e;
        }
        scheduleWakeup(nowMs);
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        completeDueObjects(System.currentTimeMillis());
        Map<TopicPartition, OffsetAndMetadata> committable = new HashMap<>();
        for (TopicPartitionWriter writer : writers.values()) {
            OptionalLong offset = writer.takeCommittableOffset();
            if (offset.isPresent()) {
                committable.put(writer.topicPartition(), new OffsetAndMetadata(offset.getAsLong()));
            }
        }
        if (!committable.isEmpty()) {
            log.debug("Committing offsets {}", committable);
        }
        return committable;
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            TopicPartitionWriter writer = writers.remove(partition);
            if (writer != null) {
                writer.close();
            }
        }
        log.debug("Closed {}", partitions);
    }

    @Override
    public void stop() {
        writers.values().forEach(TopicPartitionWriter::close);
        writers.clear();
        encryptors.values().forEach(EnvelopeEncryptor::close);
        encryptors.clear();
        metrics.unregister();
        if (s3 != null) {
            s3.close();
        }
        if (kms != null) {
            kms.close();
        }
        log.info("DSSE S3 sink task of connector {} stopped", connectorName);
    }

    private void put(TopicPartitionWriter writer, SinkRecord record, long nowMs) {
        if (record.value() == null && nullValueBehavior != NullValueBehavior.WRITE) {
            if (nullValueBehavior == NullValueBehavior.FAIL) {
                throw new ConnectException("Record " + recordId(record) + " has a null value (a tombstone) and "
                        + DsseS3SinkConfig.BEHAVIOR_ON_NULL_VALUES + " is fail; set it to ignore or write to accept such records");
            }
            log.trace("Skipping record {} with a null value", recordId(record));
            writer.skip(record);
            return;
        }
        String encodedPartition;
        long recordTimeMs;
        try {
            encodedPartition = partitioner.encodePartition(record, nowMs);
            recordTimeMs = settings.rotateIntervalMs() > 0 ? timestampExtractor.extract(record, nowMs) : nowMs;
        } catch (DataException | ClassCastException e) {
            // A partitioner from another project may cast a field value without checking its type.
            reportErrantRecord(record, e);
            writer.skip(record);
            return;
        }

        try {
            writer.write(record, encodedPartition, recordTimeMs, nowMs);
        } catch (DataException e) {
            reportErrantRecord(record, e);
            writer.skip(record);
        } catch (IOException | UncheckedIOException | S3UploadException | EnvelopeException e) {
            throw writeFailure(writer, e);
        }
    }

    /**
     * Returns whether Connect delivers the batch of the last failed put again. After put throws a
     * RetriableException, Connect calls put with the same SinkRecord instances (WorkerSinkTask keeps
     * its batch), so the first record's identity and the size tell a redelivery from new records.
     */
    private boolean isRetriedBatch(Collection<SinkRecord> records) {
        return retriedBatchFirstRecord != null && records.size() == retriedBatchSize
                && records.iterator().next() == retriedBatchFirstRecord;
    }

    private void completeDueObjects(long nowMs) {
        if (settings.rotateScheduleIntervalMs() <= 0) {
            return;
        }
        for (TopicPartitionWriter writer : writers.values()) {
            try {
                writer.completeDueObjects(nowMs);
            } catch (IOException | UncheckedIOException | S3UploadException | EnvelopeException e) {
                throw writeFailure(writer, e);
            }
        }
    }

    /** Asks Connect to call put again by the next scheduled rotation, even when no records arrive. */
    private void scheduleWakeup(long nowMs) {
        if (settings.rotateScheduleIntervalMs() <= 0) {
            return;
        }
        long next = Long.MAX_VALUE;
        for (TopicPartitionWriter writer : writers.values()) {
            next = Math.min(next, writer.nextDeadlineMs());
        }
        if (next != Long.MAX_VALUE) {
            context.timeout(Math.max(MIN_WAKEUP_MS, next - nowMs));
        }
    }

    /**
     * Drops the writer's open objects and returns the exception for Connect: retriable failures
     * rewind the consumer to the first record of the dropped objects, others stop the task.
     */
    private ConnectException writeFailure(TopicPartitionWriter writer, Exception e) {
        long resumeOffset = writer.discardAfterFailure();
        boolean retriable = (e instanceof S3UploadException upload && upload.retriable())
                || (e instanceof EnvelopeException envelope && envelope.isRetriable())
                || e instanceof IOException || e instanceof UncheckedIOException;
        String message = "Writing " + writer.topicPartition() + " to bucket " + config.getString(DsseS3SinkConfig.S3_BUCKET_NAME)
                + " failed: " + e.getMessage();
        if (retriable) {
            if (resumeOffset >= 0) {
                context.offset(writer.topicPartition(), resumeOffset);
            }
            log.warn("{}; retrying from offset {}", message, resumeOffset, e);
            return new RetriableException(message, e);
        }
        log.error(message, e);
        return new ConnectException(message, e);
    }

    private void reportErrantRecord(SinkRecord record, RuntimeException e) {
        if (errantRecordReporter == null) {
            throw new ConnectException("Record " + recordId(record) + " cannot be written: " + e.getMessage()
                    + "; configure errors.tolerance=all with a dead letter queue to skip such records", e);
        }
        log.warn("Sending record {} to the errant record reporter: {}", recordId(record), e.getMessage());
        metrics.errantRecord();
        errantRecordReporter.report(record, e);
    }

    private ErrantRecordReporter errantRecordReporter() {
        try {
            return context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            // Workers before Kafka 2.6 have no errant record reporter.
            return null;
        }
    }

    private EnvelopeEncryptor encryptorFor(String topic) {
        LayerKeys keys = config.layerKeys(topic);
        return encryptors.computeIfAbsent(keys, this::newEncryptor);
    }

    private EnvelopeEncryptor newEncryptor(LayerKeys keys) {
        String jcaProvider = config.getString(DsseS3SinkConfig.LAYER1_JCA_PROVIDER);
        long maxObjects = config.getLong(DsseS3SinkConfig.DATA_KEY_MAX_OBJECTS);
        DataKeyReusePolicy reuse = maxObjects <= 1 ? DataKeyReusePolicy.perObject()
                : new DataKeyReusePolicy(maxObjects, config.getLong(DsseS3SinkConfig.DATA_KEY_MAX_BYTES),
                        java.time.Duration.ofMillis(config.getLong(DsseS3SinkConfig.DATA_KEY_MAX_AGE_MS)));
        return EnvelopeEncryptor.builder()
                .layer1(keyProvider, keys.layer1KeyId())
                .layer2(keyProvider, keys.layer2KeyId())
                .frameSize(config.getInt(DsseS3SinkConfig.FRAME_SIZE_BYTES))
                .layer1JcaProvider(jcaProvider.isBlank() ? null : jcaProvider)
                .dataKeyReuse(reuse)
                .build();
    }

    private void runPreflight() {
        List<Preflight.Problem> problems = Preflight.run(config, s3, keyProvider, kms);
        if (!problems.isEmpty()) {
            StringBuilder message = new StringBuilder("Preflight checks of connector " + connectorName + " failed:");
            problems.forEach(problem -> message.append(' ').append(problem.configKey()).append(": ").append(problem.message()).append('.'));
            throw new ConnectException(message.toString());
        }
    }

    private static String recordId(SinkRecord record) {
        return "topic " + record.topic() + " partition " + record.kafkaPartition() + " offset " + record.kafkaOffset();
    }
}
