package io.github.dssesink.connector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;

import io.github.dssesink.connector.config.DsseS3SinkConfig;
import io.github.dssesink.crypto.AwsKmsKeyProvider;
import io.github.dssesink.crypto.EnvelopeDecryptor;
import io.github.dssesink.crypto.KeyBlock;
import io.github.dssesink.kafkalocal.LocalKafkaConnect;
import io.github.dssesink.kmslocal.LocalKmsServer;
import io.github.dssesink.s3local.LocalS3Server;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The servers one test JVM shares: S3Mock (through {@link LocalS3Server}), the local KMS server with three keys, and (started on
 * first use) an embedded Kafka broker with one Connect worker. All bind to 127.0.0.1; every AWS
 * client gets static test credentials, an explicit region and a loopback endpoint.
 */
final class TestEnvironment {

    static final String ACCESS_KEY_ID = "test-access-key";
    static final String SECRET_ACCESS_KEY = "test-secret-key";
    static final String REGION = "us-east-1";
    static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static TestEnvironment instance;

    final LocalS3Server s3Server;
    final LocalKmsServer kms;
    final String layer1KeyId;
    final String layer2KeyId;
    final String sseKeyId;
    final S3Client s3;
    final KmsClient kmsClient;
    private LocalKafkaConnect connect;

    private TestEnvironment() throws Exception {
        s3Server = LocalS3Server.start();
        kms = LocalKmsServer.start();
        layer1KeyId = kms.createKey("layer 1").keyId();
        layer2KeyId = kms.createKey("layer 2").keyId();
        sseKeyId = kms.createKey("server side").keyId();
        s3 = S3Client.builder()
                .region(Region.of(REGION))
                .credentialsProvider(credentials())
                .endpointOverride(s3Server.endpoint())
                .forcePathStyle(true)
                .build();
        kmsClient = KmsClient.builder()
                .region(Region.of(REGION))
                .credentialsProvider(credentials())
                .endpointOverride(kms.endpoint())
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "test-environment-stop"));
    }

    static synchronized TestEnvironment get() {
        if (instance == null) {
            try {
                instance = new TestEnvironment();
            } catch (Exception e) {
                throw new IllegalStateException("Could not start the test servers", e);
            }
        }
        return instance;
    }

    static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
    }

    /** Returns the broker and worker, started on first use. The worker loads the connector from the test class path. */
    synchronized LocalKafkaConnect connect() {
        if (connect == null) {
            try {
                connect = LocalKafkaConnect.builder()
                        .workDir(Path.of("target", "kafka-local"))
                        .workerProperties(Map.of("offset.flush.interval.ms", "1000"))
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("Failed to start the Kafka broker and Connect worker", e);
            }
        }
        return connect;
    }

    /**
     * Creates a topic and waits until every partition has a leader, because an idempotent
     * producer that starts earlier can fail with OUT_OF_ORDER_SEQUENCE_NUMBER and lose records.
     */
    void createTopic(String topic, int partitions) throws InterruptedException {
        connect().kafka().createTopic(topic, partitions);
    }

    /**
     * Creates a producer that sends one request at a time without idempotence. With idempotence,
     * the embedded broker sometimes returned OUT_OF_ORDER_SEQUENCE_NUMBER until the delivery
     * timeout dropped the records; one request in flight keeps records in order without it.
     */
    KafkaProducer<byte[], byte[]> createProducer() {
        return connect().kafka().createProducer(Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1",
                ProducerConfig.ACKS_CONFIG, "all"));
    }

    /** Waits for every send of a producer and raises the first failure, so a test never runs on missing records. */
    static void awaitSends(List<Future<RecordMetadata>> sends) {
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("Producing a test record failed", e);
            }
        }
    }

    String createBucket(String name) {
        s3.createBucket(r -> r.bucket(name));
        return name;
    }

    /** Returns a complete connector config for a bucket: DSSE with the server-side key, both layers on, JSON lines. */
    Map<String, String> sinkConfig(String bucket, URI storeUrl) {
        Map<String, String> config = new HashMap<>();
        config.put(DsseS3SinkConfig.S3_BUCKET_NAME, bucket);
        config.put(DsseS3SinkConfig.S3_REGION, REGION);
        config.put(DsseS3SinkConfig.STORE_URL, storeUrl.toString());
        config.put(DsseS3SinkConfig.S3_PATH_STYLE_ACCESS_ENABLED, "true");
        config.put(DsseS3SinkConfig.AWS_ACCESS_KEY_ID, ACCESS_KEY_ID);
        config.put(DsseS3SinkConfig.AWS_SECRET_ACCESS_KEY, SECRET_ACCESS_KEY);
        config.put(DsseS3SinkConfig.S3_SSE_KMS_KEY_ID, sseKeyId);
        config.put(DsseS3SinkConfig.KMS_ENDPOINT, kms.endpoint().toString());
        config.put(DsseS3SinkConfig.LAYER1_KMS_KEY_ID, layer1KeyId);
        config.put(DsseS3SinkConfig.LAYER2_KMS_KEY_ID, layer2KeyId);
        config.put(DsseS3SinkConfig.S3_PART_SIZE, Integer.toString(DsseS3SinkConfig.MIN_PART_SIZE_IN_BYTES));
        config.put(DsseS3SinkConfig.S3_RETRY_MAX_ATTEMPTS, "2");
        return config;
    }

    Map<String, String> sinkConfig(String bucket) {
        return sinkConfig(bucket, s3Server.endpoint());
    }

    List<S3Object> listObjects(String bucket) {
        List<S3Object> objects = new ArrayList<>();
        s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().forEach(objects::add);
        return objects;
    }

    ResponseBytes<GetObjectResponse> getObject(String bucket, String key) {
        return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key));
    }

    /** Downloads and decrypts an object with the key block from its metadata. */
    byte[] decryptObject(String bucket, String key) {
        ResponseBytes<GetObjectResponse> object = getObject(bucket, key);
        String keyBlock = object.response().metadata().get(KeyBlock.S3_METADATA_NAME);
        if (keyBlock == null) {
            throw new AssertionError("Object " + key + " has no " + KeyBlock.S3_METADATA_NAME + " metadata");
        }
        EnvelopeDecryptor decryptor = EnvelopeDecryptor.builder().keyProvider(new AwsKmsKeyProvider(kmsClient)).build();
        return decryptor.decrypt(object.asByteArray(), KeyBlock.fromBase64(keyBlock));
    }

    /** Returns the end offset (the offset after the last record) of every partition of a topic. */
    Map<Integer, Long> endOffsets(String topic) {
        try (Admin admin = connect().kafka().createAdminClient()) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int partition = 0; partition < partitions; partition++) {
                request.put(new TopicPartition(topic, partition), OffsetSpec.latest());
            }
            Map<Integer, Long> result = new TreeMap<>();
            admin.listOffsets(request).all().get().forEach((partition, info) -> result.put(partition.partition(), info.offset()));
            return result;
        } catch (Exception e) {
            throw new IllegalStateException("Could not read the end offsets of topic " + topic, e);
        }
    }

    /** Returns the state of the first task of a connector, NONE before it has tasks, or UNKNOWN if the status is missing. */
    String taskState(String connector) {
        try {
            List<ConnectorStateInfo.TaskState> tasks = connect().connectorStatus(connector).tasks();
            return tasks.isEmpty() ? "NONE" : tasks.get(0).state();
        } catch (RuntimeException e) {
            return "UNKNOWN";
        }
    }

    /** Polls a condition every 100 ms until it is true or the timeout ends. */
    static void awaitCondition(String description, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + " waiting for: " + description);
            }
            Thread.sleep(100);
        }
    }

    private void stop() {
        if (connect != null) {
            connect.close();
        }
        kms.close();
        s3Server.close();
    }
}
