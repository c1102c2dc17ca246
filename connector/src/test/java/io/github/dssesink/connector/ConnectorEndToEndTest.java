package io.github.dssesink.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.runtime.ConnectorConfig;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.runtime.SinkConnectorConfig;
import org.junit.jupiter.api.Test;

import io.github.dssesink.connector.config.DsseS3SinkConfig;
import io.github.dssesink.connector.storage.OutputObject;
import io.github.dssesink.kafkalocal.LocalKafkaConnect;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Runs the connector in a real Connect worker against a real broker, S3Mock and the local KMS server. */
class ConnectorEndToEndTest {

    private static final int PARTITIONS = 5;
    private static final int RECORD_COUNT = 10_000;
    private static final int FLUSH_SIZE = 1000;

    private final TestEnvironment env = TestEnvironment.get();

    @Test
    void jsonRecordsLandExactlyOnceEncrypted() throws Exception {
        LocalKafkaConnect connect = env.connect();
        String topic = "orders";
        String bucket = env.createBucket("e2e-json");
        env.createTopic(topic, PARTITIONS);

        // Struct payloads with schemas, so the sink's JSON lines are the payloads byte for byte.
        Map<Integer, List<String>> expectedByPartition = new TreeMap<>();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = env.createProducer()) {
            producer.partitionsFor(topic);
            for (int i = 0; i < RECORD_COUNT; i++) {
                int partition = i % PARTITIONS;
                String payload = "{\"id\":" + i + ",\"name\":\"order-" + i + "\",\"amount\":" + (i * 7 % 1000) + "}";
                String envelope = "{\"schema\":{\"type\":\"struct\",\"optional\":false,\"fields\":["
                        + "{\"field\":\"id\",\"type\":\"int32\",\"optional\":false},"
                        + "{\"field\":\"name\",\"type\":\"string\",\"optional\":false},"
                        + "{\"field\":\"amount\",\"type\":\"int32\",\"optional\":false}]},\"payload\":" + payload + "}";
                sends.add(producer.send(new ProducerRecord<>(topic, partition, null, envelope.getBytes(StandardCharsets.UTF_8))));
                expectedByPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(payload);
            }
            producer.flush();
        }
        TestEnvironment.awaitSends(sends);

        String connector = "e2e-json";
        Map<String, String> config = connectorConfig(env.sinkConfig(bucket), topic);
        config.put(DsseS3SinkConfig.FLUSH_SIZE, Integer.toString(FLUSH_SIZE));
        connect.configureConnector(connector, config);

        // Every partition has a whole number of flush.size batches, so every record ends in a complete object.
        Map<Integer, Long> endOffsets = env.endOffsets(topic);
        assertEquals(Map.of(0, 2000L, 1, 2000L, 2, 2000L, 3, 2000L, 4, 2000L), endOffsets);
        TestEnvironment.awaitCondition("offsets committed up to the end offsets", TestEnvironment.TIMEOUT,
                () -> committedOffsets(connect, connector, topic).equals(endOffsets));
        connect.deleteConnector(connector);

        List<S3Object> objects = env.listObjects(bucket);
        assertEquals(RECORD_COUNT / FLUSH_SIZE, objects.size());
        Map<Integer, List<String>> actualByPartition = new TreeMap<>();
        for (S3Object object : objects) {
            String key = object.key();
            HeadObjectResponse head = env.s3.headObject(r -> r.bucket(bucket).key(key));
            assertEquals("aws:kms:dsse", head.serverSideEncryptionAsString(), "SSE of " + key);
            assertEquals(env.sseKeyId, lastSegment(head.ssekmsKeyId()), "SSE KMS key of " + key);
            Map<String, String> metadata = head.metadata();
            int partition = Integer.parseInt(metadata.get(OutputObject.METADATA_PARTITION));
            long start = Long.parseLong(metadata.get(OutputObject.METADATA_START_OFFSET));
            assertEquals(String.format("topics/%s/partition=%d/%s+%d+%010d.json", topic, partition, topic, partition, start), key);
            assertEquals(topic, metadata.get(OutputObject.METADATA_TOPIC));
            assertEquals("json", metadata.get(OutputObject.METADATA_FORMAT));
            assertEquals(Integer.toString(FLUSH_SIZE), metadata.get(OutputObject.METADATA_RECORD_COUNT));
            assertEquals(start + FLUSH_SIZE - 1, Long.parseLong(metadata.get(OutputObject.METADATA_END_OFFSET)));

            String plaintext = new String(env.decryptObject(bucket, key), StandardCharsets.UTF_8);
            assertTrue(plaintext.endsWith("\n"), key);
            actualByPartition.computeIfAbsent(partition, p -> new ArrayList<>()).addAll(List.of(plaintext.split("\n")));
        }

        // Objects are listed in key order, which is offset order thanks to the zero-padded start offset.
        assertEquals(expectedByPartition.keySet(), actualByPartition.keySet());
        int total = 0;
        for (Map.Entry<Integer, List<String>> entry : expectedByPartition.entrySet()) {
            assertEquals(entry.getValue(), actualByPartition.get(entry.getKey()), "records of partition " + entry.getKey());
            total += actualByPartition.get(entry.getKey()).size();
        }
        assertEquals(RECORD_COUNT, total);
        assertEquals(endOffsets, committedOffsets(connect, connector, topic));

        List<RecordingInterceptor.Exchange> uploads = new ArrayList<>(RecordingInterceptor.find("PutObject", "/" + bucket + "/"));
        uploads.addAll(RecordingInterceptor.find("CreateMultipartUpload", "/" + bucket + "/"));
        assertFalse(uploads.isEmpty());
        for (RecordingInterceptor.Exchange upload : uploads) {
            assertEquals("aws:kms:dsse", upload.requestHeader("x-amz-server-side-encryption"), upload.path());
            assertEquals(env.sseKeyId, upload.requestHeader("x-amz-server-side-encryption-aws-kms-key-id"), upload.path());
            assertEquals("aws:kms:dsse", upload.responseHeader("x-amz-server-side-encryption"), upload.path());
        }
    }

    @Test
    void restValidateNamesInvalidKeys() {
        LocalKafkaConnect connect = env.connect();
        Map<String, String> config = connectorConfig(env.sinkConfig("no-such-bucket"), "validate-topic");
        config.put(DsseS3SinkConfig.S3_BUCKET_KEY_ENABLED, "true");
        config.put(DsseS3SinkConfig.PATH_FORMAT, "'year'=YYYY/{bad");
        config.put(DsseS3SinkConfig.PARTITIONER_CLASS, "time");
        config.put(DsseS3SinkConfig.PARTITION_DURATION_MS, "3600000");

        ConfigInfos result = connect.validateConnectorConfig(DsseS3SinkConnector.class.getSimpleName(), config);

        Map<String, List<String>> errors = new HashMap<>();
        for (ConfigInfo info : result.configs()) {
            if (!info.configValue().errors().isEmpty()) {
                errors.put(info.configValue().name(), info.configValue().errors());
            }
        }
        assertTrue(errors.containsKey(DsseS3SinkConfig.S3_BUCKET_KEY_ENABLED), errors.toString());
        assertTrue(errors.containsKey(DsseS3SinkConfig.PATH_FORMAT), errors.toString());
    }

    static Map<String, String> connectorConfig(Map<String, String> sinkConfig, String topic) {
        Map<String, String> config = new HashMap<>(sinkConfig);
        config.put(ConnectorConfig.CONNECTOR_CLASS_CONFIG, DsseS3SinkConnector.class.getName());
        config.put(ConnectorConfig.TASKS_MAX_CONFIG, "1");
        config.put(SinkConnectorConfig.TOPICS_CONFIG, topic);
        config.put(ConnectorConfig.KEY_CONVERTER_CLASS_CONFIG, "org.apache.kafka.connect.storage.StringConverter");
        config.put(ConnectorConfig.VALUE_CONVERTER_CLASS_CONFIG, "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter.schemas.enable", "true");
        return config;
    }

    /** Reads the sink's committed offsets with the Admin client, from the consumer group connect-<name>. */
    static Map<Integer, Long> committedOffsets(LocalKafkaConnect connect, String connector, String topic) {
        try (Admin admin = connect.kafka().createAdminClient()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("connect-" + connector)
                    .partitionsToOffsetAndMetadata().get();
            Map<Integer, Long> result = new TreeMap<>();
            offsets.forEach((partition, offset) -> {
                if (partition.topic().equals(topic) && offset != null) {
                    result.put(partition.partition(), offset.offset());
                }
            });
            return result;
        } catch (Exception e) {
            throw new IllegalStateException("Could not read the offsets of connector " + connector, e);
        }
    }

    static String lastSegment(String keyIdOrArn) {
        return keyIdOrArn == null ? null : keyIdOrArn.substring(keyIdOrArn.lastIndexOf('/') + 1);
    }
}
