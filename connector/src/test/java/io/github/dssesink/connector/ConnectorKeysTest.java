package io.github.dssesink.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;

import io.github.dssesink.connector.config.DsseS3SinkConfig;
import io.github.dssesink.crypto.AwsKmsKeyProvider;
import io.github.dssesink.crypto.EnvelopeDecryptor;
import io.github.dssesink.crypto.EnvelopeEncryptor;
import io.github.dssesink.crypto.KeyBlock;
import io.github.dssesink.kafkalocal.LocalKafkaConnect;
import io.github.dssesink.kmslocal.KmsCall;
import io.github.dssesink.kmslocal.LocalKeyMetadata;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/** SSE-C and bucket key headers, per-topic layer keys and the task's JMX metrics, in a real Connect worker. */
class ConnectorKeysTest {

    private static final String BYTE_ARRAY_CONVERTER = "org.apache.kafka.connect.converters.ByteArrayConverter";

    private final TestEnvironment env = TestEnvironment.get();

    @Test
    void sseCustomerKeyOnEveryUploadRequest() throws Exception {
        LocalKafkaConnect connect = env.connect();
        String topic = "sse-c";
        String bucket = env.createBucket("keys-sse-c");
        env.createTopic(topic, 1);
        byte[] customerKey = new byte[32];
        new Random(11).nextBytes(customerKey);
        String keyBase64 = Base64.getEncoder().encodeToString(customerKey);
        String keyMd5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(customerKey));

        // Seven values of 900 KB make one multipart object (5 MiB parts); seven small ones make one PutObject.
        Random random = new Random(3);
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            byte[] value = new byte[i < 7 ? 900_000 : 100];
            random.nextBytes(value);
            values.add(value);
        }
        produceBytes(connect, topic, values);

        Map<String, String> config = ConnectorEndToEndTest.connectorConfig(env.sinkConfig(bucket), topic);
        config.put("value.converter", BYTE_ARRAY_CONVERTER);
        config.put(DsseS3SinkConfig.FORMAT_CLASS, "bytearray");
        config.put(DsseS3SinkConfig.FORMAT_BYTEARRAY_SEPARATOR, "");
        config.put(DsseS3SinkConfig.FLUSH_SIZE, "7");
        config.put(DsseS3SinkConfig.S3_SSEA_NAME, "");
        config.put(DsseS3SinkConfig.S3_SSE_KMS_KEY_ID, "");
        config.put(DsseS3SinkConfig.S3_SSE_CUSTOMER_KEY, keyBase64);

        List<String> logs;
        String failureTrace;
        try (LogCapture capture = LogCapture.attach()) {
            connect.configureConnector(topic, config);
            TestEnvironment.awaitCondition("offsets committed", TestEnvironment.TIMEOUT,
                    () -> Long.valueOf(14).equals(ConnectorEndToEndTest.committedOffsets(connect, topic, topic).get(0)));
            connect.deleteConnector(topic);

            // A failing upload: its error and logs must not carry the key either.
            Map<String, String> missingBucket = new java.util.HashMap<>(config);
            missingBucket.put(DsseS3SinkConfig.S3_BUCKET_NAME, "keys-sse-c-missing");
            missingBucket.put(DsseS3SinkConfig.PREFLIGHT_ENABLED, "false");
            connect.configureConnector("sse-c-missing", missingBucket);
            TestEnvironment.awaitCondition("task failed on the missing bucket", TestEnvironment.TIMEOUT,
                    () -> env.taskState("sse-c-missing").equals("FAILED"));
            failureTrace = connect.connectorStatus("sse-c-missing").tasks().get(0).trace();
            connect.deleteConnector("sse-c-missing");
            logs = capture.lines();
        }
        assertTrue(failureTrace.contains("NoSuchBucket"), failureTrace);
        assertFalse(failureTrace.contains(keyBase64), "the SSE-C key is in the task's error");
        assertTrue(logs.stream().anyMatch(line -> line.contains("keys-sse-c-missing")), "log capture saw the failure");
        assertTrue(logs.stream().anyMatch(line -> line.contains(DsseS3SinkConfig.S3_SSE_CUSTOMER_KEY + " = [hidden]")),
                "log capture saw the logged config");
        for (String line : logs) {
            assertFalse(line.contains(keyBase64), "the SSE-C key is in a log line: " + line);
        }

        List<RecordingInterceptor.Exchange> uploads = new ArrayList<>();
        for (String operation : List.of("PutObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload")) {
            List<RecordingInterceptor.Exchange> exchanges = RecordingInterceptor.find(operation, "/" + bucket + "/");
            assertEquals(operation.equals("UploadPart") ? 2 : 1, exchanges.size(), operation);
            uploads.addAll(exchanges);
        }
        for (RecordingInterceptor.Exchange upload : uploads) {
            assertEquals("AES256", upload.requestHeader("x-amz-server-side-encryption-customer-algorithm"), upload.operation());
            assertEquals(keyBase64, upload.requestHeader("x-amz-server-side-encryption-customer-key"), upload.operation());
            assertEquals(keyMd5, upload.requestHeader("x-amz-server-side-encryption-customer-key-MD5"), upload.operation());
            assertNull(upload.requestHeader("x-amz-server-side-encryption"), upload.operation());
        }

        List<S3Object> objects = env.listObjects(bucket);
        assertEquals(2, objects.size());
        EnvelopeDecryptor decryptor = EnvelopeDecryptor.builder().keyProvider(new AwsKmsKeyProvider(env.kmsClient)).build();
        for (int objectIndex = 0; objectIndex < 2; objectIndex++) {
            String key = objects.get(objectIndex).key();
            ResponseBytes<GetObjectResponse> object = env.s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)
                    .sseCustomerAlgorithm("AES256").sseCustomerKey(keyBase64).sseCustomerKeyMD5(keyMd5));
            byte[] plaintext = decryptor.decrypt(object.asByteArray(),
                    KeyBlock.fromBase64(object.response().metadata().get(KeyBlock.S3_METADATA_NAME)));
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (byte[] value : values.subList(objectIndex * 7, objectIndex * 7 + 7)) {
                expected.writeBytes(value);
            }
            assertTrue(java.util.Arrays.equals(expected.toByteArray(), plaintext), "bytes of " + key);
        }
    }

    @Test
    void bucketKeyHeaderWithAwsKms() throws Exception {
        LocalKafkaConnect connect = env.connect();
        String topic = "bucket-key";
        String bucket = env.createBucket("keys-bucket-key");
        env.createTopic(topic, 1);
        produceBytes(connect, topic, List.of("a".getBytes(StandardCharsets.UTF_8), "b".getBytes(StandardCharsets.UTF_8)));

        Map<String, String> config = ConnectorEndToEndTest.connectorConfig(env.sinkConfig(bucket), topic);
        config.put("value.converter", BYTE_ARRAY_CONVERTER);
        config.put(DsseS3SinkConfig.FORMAT_CLASS, "bytearray");
        config.put(DsseS3SinkConfig.FLUSH_SIZE, "2");
        config.put(DsseS3SinkConfig.S3_SSEA_NAME, "aws:kms");
        config.put(DsseS3SinkConfig.S3_BUCKET_KEY_ENABLED, "true");
        connect.configureConnector(topic, config);

        // S3Mock 5.2.0 accepts aws:kms only for keys in its own list of valid KMS keys, which
        // LocalS3Server leaves empty, so it returns 400 KMS.NotFoundException. This test checks the
        // request headers as sent.
        TestEnvironment.awaitCondition("upload rejected by S3Mock", TestEnvironment.TIMEOUT,
                () -> env.taskState(topic).equals("FAILED"));
        String trace = connect.connectorStatus(topic).tasks().get(0).trace();
        assertTrue(trace.contains("KMS.NotFoundException"), trace);
        connect.deleteConnector(topic);

        List<RecordingInterceptor.Exchange> puts = RecordingInterceptor.find("PutObject", "/" + bucket + "/");
        assertEquals(1, puts.size());
        assertEquals("aws:kms", puts.get(0).requestHeader("x-amz-server-side-encryption"));
        assertEquals(env.sseKeyId, puts.get(0).requestHeader("x-amz-server-side-encryption-aws-kms-key-id"));
        assertEquals("true", puts.get(0).requestHeader("x-amz-server-side-encryption-bucket-key-enabled"));
    }

    @Test
    void topicKeyOverridesReachKeyBlock() throws Exception {
        LocalKafkaConnect connect = env.connect();
        String bucket = env.createBucket("keys-overrides");
        LocalKeyMetadata overrideLayer1 = env.kms.createKey("override layer 1");
        LocalKeyMetadata overrideLayer2 = env.kms.createKey("override layer 2");
        for (String topic : List.of("keys-a", "keys-b")) {
            env.createTopic(topic, 1);
            produceBytes(connect, topic, List.of((topic + "-0").getBytes(StandardCharsets.UTF_8),
                    (topic + "-1").getBytes(StandardCharsets.UTF_8)));
        }

        Map<String, String> config = ConnectorEndToEndTest.connectorConfig(env.sinkConfig(bucket), "keys-a,keys-b");
        config.put("value.converter", BYTE_ARRAY_CONVERTER);
        config.put(DsseS3SinkConfig.FORMAT_CLASS, "bytearray");
        config.put(DsseS3SinkConfig.FLUSH_SIZE, "2");
        // An ARN for layer 1 and a bare key ID for layer 2, since both forms are valid in an override.
        config.put(DsseS3SinkConfig.TOPIC_KEY_OVERRIDES, "keys-a:" + overrideLayer1.arn() + ":" + overrideLayer2.keyId());
        connect.configureConnector("keys-overrides", config);
        TestEnvironment.awaitCondition("offsets of both topics committed", TestEnvironment.TIMEOUT,
                () -> Long.valueOf(2).equals(ConnectorEndToEndTest.committedOffsets(connect, "keys-overrides", "keys-a").get(0))
                        && Long.valueOf(2).equals(ConnectorEndToEndTest.committedOffsets(connect, "keys-overrides", "keys-b").get(0)));
        connect.deleteConnector("keys-overrides");

        Map<String, KeyBlock> keyBlocks = new java.util.TreeMap<>();
        for (S3Object object : env.listObjects(bucket)) {
            String metadata = env.s3.headObject(r -> r.bucket(bucket).key(object.key())).metadata().get(KeyBlock.S3_METADATA_NAME);
            keyBlocks.put(object.key().split("/")[1], KeyBlock.fromBase64(metadata));
        }
        assertEquals(Set.of("keys-a", "keys-b"), keyBlocks.keySet());
        assertEquals(overrideLayer1.arn(), keyBlocks.get("keys-a").layer1().keyId());
        assertEquals(overrideLayer2.arn(), keyBlocks.get("keys-a").layer2().keyId());
        assertEquals(env.kms.describeKey(env.layer1KeyId).arn(), keyBlocks.get("keys-b").layer1().keyId());
        assertEquals(env.kms.describeKey(env.layer2KeyId).arn(), keyBlocks.get("keys-b").layer2().keyId());
    }

    @Test
    void metricsMatchWorkDone() throws Exception {
        LocalKafkaConnect connect = env.connect();
        String topic = "metrics";
        String bucket = env.createBucket("keys-metrics");
        env.createTopic(topic, 1);
        LocalKeyMetadata layer1 = env.kms.createKey("metrics layer 1");
        LocalKeyMetadata layer2 = env.kms.createKey("metrics layer 2");
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            values.add(("record-" + i).getBytes(StandardCharsets.UTF_8));
        }
        produceBytes(connect, topic, values);

        Map<String, String> config = ConnectorEndToEndTest.connectorConfig(env.sinkConfig(bucket), topic);
        config.put("value.converter", BYTE_ARRAY_CONVERTER);
        config.put(DsseS3SinkConfig.FORMAT_CLASS, "bytearray");
        config.put(DsseS3SinkConfig.FLUSH_SIZE, "10");
        config.put(DsseS3SinkConfig.LAYER1_KMS_KEY_ID, layer1.keyId());
        config.put(DsseS3SinkConfig.LAYER2_KMS_KEY_ID, layer2.keyId());
        // Without preflight the task calls KMS only for data keys, so its count matches GenerateDataKey exactly.
        config.put(DsseS3SinkConfig.PREFLIGHT_ENABLED, "false");
        connect.configureConnector(topic, config);
        TestEnvironment.awaitCondition("offsets committed", TestEnvironment.TIMEOUT,
                () -> Long.valueOf(30).equals(ConnectorEndToEndTest.committedOffsets(connect, topic, topic).get(0)));

        // The MBean lives as long as the task, so it is read before the connector is deleted.
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = SinkTaskMetrics.objectName(topic, "0");
        long recordsWritten = (Long) server.getAttribute(name, "RecordsWritten");
        long objectsCompleted = (Long) server.getAttribute(name, "ObjectsCompleted");
        long uploadRequests = (Long) server.getAttribute(name, "UploadRequests");
        long kmsCalls = (Long) server.getAttribute(name, "KmsCalls");
        int layer2Native = (Integer) server.getAttribute(name, "Layer2Native");
        double setupMs = (Double) server.getAttribute(name, "EncryptionSetupTimeTotalMs");
        double encryptionMs = (Double) server.getAttribute(name, "EncryptionTimeTotalMs");
        connect.deleteConnector(topic);

        long generateDataKeyCalls = env.kms.calls().stream()
                .filter(call -> call.operation().equals("GenerateDataKey"))
                .filter(call -> call.keyArn() != null && Set.of(layer1.arn(), layer2.arn()).contains(call.keyArn()))
                .filter(KmsCall::succeeded)
                .count();
        assertEquals(30, recordsWritten);
        assertEquals(3, objectsCompleted);
        assertEquals(3, uploadRequests);
        assertEquals(3, env.listObjects(bucket).size());
        assertEquals(6, generateDataKeyCalls, "one data key per layer and object");
        assertEquals(generateDataKeyCalls, kmsCalls);
        assertEquals(EnvelopeEncryptor.isLayer2Native() ? 1 : 0, layer2Native);
        // Encryption time adds the stream's writes to the setup time, so it must be strictly larger.
        assertTrue(encryptionMs > setupMs, encryptionMs + " ms encryption, " + setupMs + " ms setup");
    }

    private static void produceBytes(LocalKafkaConnect connect, String topic, List<byte[]> values) {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = TestEnvironment.get().createProducer()) {
            producer.partitionsFor(topic);
            for (byte[] value : values) {
                sends.add(producer.send(new ProducerRecord<>(topic, 0, null, value)));
            }
            producer.flush();
        }
        TestEnvironment.awaitSends(sends);
    }

    /** Collects every log event, with its stack trace, at INFO and above while it is open. */
    private static final class LogCapture extends AbstractAppender implements AutoCloseable {
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final Level previousRootLevel;

        private LogCapture() {
            super("log-capture", null, null, true, Property.EMPTY_ARRAY);
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            LoggerConfig root = context.getConfiguration().getRootLogger();
            previousRootLevel = root.getLevel();
        }

        static LogCapture attach() {
            LogCapture capture = new LogCapture();
            capture.start();
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            Configuration configuration = context.getConfiguration();
            // Connect and the config classes log the connector config at INFO; the suite's root level is WARN.
            configuration.getRootLogger().setLevel(Level.INFO);
            configuration.getRootLogger().addAppender(capture, Level.ALL, null);
            context.updateLoggers();
            return capture;
        }

        @Override
        public void append(LogEvent event) {
            StringBuilder line = new StringBuilder(event.getMessage().getFormattedMessage());
            if (event.getThrown() != null) {
                StringWriter trace = new StringWriter();
                event.getThrown().printStackTrace(new PrintWriter(trace));
                line.append('\n').append(trace);
            }
            lines.add(line.toString());
        }

        List<String> lines() {
            return List.copyOf(lines);
        }

        @Override
        public void close() {
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            Configuration configuration = context.getConfiguration();
            configuration.getRootLogger().removeAppender(getName());
            configuration.getRootLogger().setLevel(previousRootLevel);
            context.updateLoggers();
            stop();
        }
    }
}
