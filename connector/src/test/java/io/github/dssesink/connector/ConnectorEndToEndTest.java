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

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.runtime.ConnectorConfig;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.runtime.SinkConnectorConfig;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.Test;

import io.github.dssesink.connector.config.DsseS3SinkConfig;
import io.github.dssesink.connector.storage.OutputObject;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Runs the connector in a real Connect worker against a real broker, S3Mock and the local KMS server. */
class ConnectorEndToEndTest {

    private static final int PARTITIONS = 3;

    private final TestEnvironment env = TestEnvironment.get();

    @Test
    void jsonRecordsLandExactlyOnceEncrypted() throws Exception {
        EmbeddedConnectCluster connect = env.connect();
        String topic = "orders";
        String bucket = env.createBucket("e2e-json");
        env.createTopic(topic, PARTITIONS);

        // Struct payloads with schemas, so the sink's JSON lines are the payloads byte for byte.
        int recordCount = 10_000;
        Map<Integer, List<String>> expectedByPartition = new TreeMap<>();
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
            producer.partitionsFor(topic);
            for (int i = 0; i < recordCount; i++) {
                int partition = i % PARTITIONS;
                String payload = "{\"id\":" + i + ",\"name\":\"order-" + i + "\",\"amount\":" + (i * 7 % 1000) + "}";
                String envelope = "{\"schema\":{\"type\":\"struct\",\"optional\":false,\"fields\":["
                        + "{\"field\":\"id\",\"type\":\"int32\",\"optional\":false},"
                        + "{\"field\":\"name\",\"type\":\"string\",\"optional\":false},"
                        + "{\"field\":\"amount\",\"type\":\"int32\",\"optional\":false}]},\"payload\":" + payload + "}";
                producer.send(new ProducerRecord<>(topic, partition, null, envelope.getBytes(StandardCharsets.UTF_8)));
                expectedByPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(payload);
            }
            producer.flush();
        }

        String connector = "e2e-json";
        Map<String, String> config = connectorConfig(env.sinkConfig(bucket), topic);
        config.put(DsseS3SinkConfig.FLUSH_SIZE, "1000");
        connect.configureConnector(connector, config);

        int expectedObjects = 0;
        for (List<String> lines : expectedByPartition.values()) {
            expectedObjects += (lines.size() + 999) / 1000;
        }
        int objects = expectedObjects;
        // 3334 records per partition leave 334 in an open object; the rest must be committed exactly.
        TestEnvironment.awaitCondition("objects of full batches in S3", TestEnvironment.TIMEOUT,
                () -> env.listObjects(bucket).size() >= objects - PARTITIONS);
        TestEnvironment.awaitCondition("offsets committed", TestEnvironment.TIMEOUT,
                () -> committedOffsets(connect, connector, topic).size() == PARTITIONS
                        && committedOffsets(connect, connector, topic).values().stream().allMatch(offset -> offset == 3000));
        connect.deleteConnector(connector);

        Map<Integer, List<String>> actualByPartition = new TreeMap<>();
        Map<Integer, Long> lastEndOffset = new HashMap<>();
        for (S3Object object : env.listObjects(bucket)) {
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
            assertEquals("1000", metadata.get(OutputObject.METADATA_RECORD_COUNT));
            assertEquals(start + 999, Long.parseLong(metadata.get(OutputObject.METADATA_END_OFFSET)));
            lastEndOffset.merge(partition, start + 999, Math::max);

            String plaintext = new String(env.decryptObject(bucket, key), StandardCharsets.UTF_8);
            List<String> lines = List.of(plaintext.split("\n"));
            actualByPartition.computeIfAbsent(partition, p -> new ArrayList<>()).addAll(lines);
        }

        // Objects are listed in key order, which is offset order thanks to the zero-padded start offset.
        for (Map.Entry<Integer, List<String>> entry : actualByPartition.entrySet()) {
            List<String> expected = expectedByPartition.get(entry.getKey());
            assertEquals(expected.subList(0, entry.getValue().size()), entry.getValue(), "records of partition " + entry.getKey());
        }
        Map<Integer, Long> committed = committedOffsets(connect, connector, topic);
        for (int partition = 0; partition < PARTITIONS; partition++) {
            assertEquals(lastEndOffset.get(partition) + 1, committed.get(partition), "committed offset of partition " + partition);
        }

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
        EmbeddedConnectCluster connect = env.connect();
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
    static Map<Integer, Long> committedOffsets(EmbeddedConnectCluster connect, String connector, String topic) {
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
