package io.github.dssesink.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.junit.jupiter.api.Test;

import io.github.dssesink.connector.config.DsseS3SinkConfig;
import io.github.dssesink.kafkalocal.LocalKafkaConnect;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Throttled uploads, preflight failures at task start and records that cannot be converted, in a real Connect worker. */
class ConnectorFailureTest {

    private final TestEnvironment env = TestEnvironment.get();

    @Test
    void throttledUploadsRetryAndRewind() throws Exception {
        LocalKafkaConnect connect = env.connect();
        String topic = "throttled";
        String bucket = env.createBucket("failure-throttled");
        env.createTopic(topic, 1);
        produce(connect, topic, 100, i -> "{\"n\":" + i + "}");

        // Three 503 responses with two attempts per request: both attempts fail for the first object,
        // so the task drops it and rewinds. On the next try the SDK's retry succeeds.
        try (PolicyFront front = new PolicyFront(env.s3Server.endpoint(), PolicyFront.slowDownFirstUploads(3))) {
            Map<String, String> config = ConnectorEndToEndTest.connectorConfig(env.sinkConfig(bucket, front.endpoint()), topic);
            config.put("value.converter.schemas.enable", "false");
            config.put(DsseS3SinkConfig.FLUSH_SIZE, "20");
            config.put(DsseS3SinkConfig.S3_RETRY_MAX_ATTEMPTS, "2");
            // Small batches, so the failed object started in an earlier batch than the one Connect delivers again.
            config.put("consumer.override.max.poll.records", "7");
            connect.configureConnector(topic, config);

            TestEnvironment.awaitCondition("offsets committed up to the end offset", TestEnvironment.TIMEOUT,
                    () -> Long.valueOf(100).equals(ConnectorEndToEndTest.committedOffsets(connect, topic, topic).get(0)));
            connect.deleteConnector(topic);
            assertEquals(3, front.denied.get());
        }

        List<RecordingInterceptor.Exchange> throttled = RecordingInterceptor.find("PutObject", "/" + bucket + "/").stream()
                .filter(exchange -> exchange.status() == 503)
                .toList();
        assertEquals(3, throttled.size());
        List<S3Object> objects = env.listObjects(bucket);
        assertEquals(5, objects.size());
        List<String> lines = new ArrayList<>();
        for (S3Object object : objects) {
            lines.addAll(List.of(new String(env.decryptObject(bucket, object.key()), StandardCharsets.UTF_8).split("\n")));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add("{\"n\":" + i + "}");
        }
        assertEquals(expected, lines);
        assertEquals(Map.of(0, 100L), env.endOffsets(topic));
    }

    @Test
    void preflightFailsTaskAtStart() throws Exception {
        LocalKafkaConnect connect = env.connect();
        String topic = "preflight-start";
        String bucket = env.createBucket("failure-preflight");
        env.createTopic(topic, 1);
        String layer2KeyId = env.kms.createKey("preflight layer 2").keyId();
        Map<String, String> config = ConnectorEndToEndTest.connectorConfig(env.sinkConfig(bucket), topic);
        config.put(DsseS3SinkConfig.LAYER2_KMS_KEY_ID, layer2KeyId);
        String connector = "preflight-start";
        connect.configureConnector(connector, config);
        TestEnvironment.awaitCondition("task running", TestEnvironment.TIMEOUT, () -> env.taskState(connector).equals("RUNNING"));

        // Validation passed; the key is disabled afterwards, so only the task's own preflight can catch it.
        env.kms.disableKey(layer2KeyId);
        connect.restartConnectorAndTasks(connector, false, true);
        TestEnvironment.awaitCondition("task failed on the disabled key", TestEnvironment.TIMEOUT,
                () -> env.taskState(connector).equals("FAILED"));
        String trace = connect.connectorStatus(connector).tasks().get(0).trace();
        assertTrue(trace.contains(layer2KeyId), trace);
        assertTrue(trace.contains(DsseS3SinkConfig.LAYER2_KMS_KEY_ID), trace);

        env.kms.enableKey(layer2KeyId);
        env.s3.deleteBucket(r -> r.bucket(bucket));
        connect.restartConnectorAndTasks(connector, false, true);
        TestEnvironment.awaitCondition("task failed on the missing bucket", TestEnvironment.TIMEOUT, () -> {
            // One status read, because the task may restart between two reads.
            List<ConnectorStateInfo.TaskState> tasks = connect.connectorStatus(connector).tasks();
            return !tasks.isEmpty() && tasks.get(0).state().equals("FAILED")
                    && tasks.get(0).trace().contains(DsseS3SinkConfig.S3_BUCKET_NAME);
        });
        trace = connect.connectorStatus(connector).tasks().get(0).trace();
        assertTrue(trace.contains("'" + bucket + "'"), trace);
        assertTrue(!trace.contains(layer2KeyId), trace);
        connect.deleteConnector(connector);
    }

    @Test
    void unconvertibleRecordGoesToDeadLetterQueue() throws Exception {
        LocalKafkaConnect connect = env.connect();
        String topic = "errant";
        String bucket = env.createBucket("failure-errant");
        env.createTopic(topic, 1);
        // Offset 4 has a field name that Avro rejects ("bad-name"), which the JSON converter accepts.
        produce(connect, topic, 10, i -> "{\"schema\":{\"type\":\"struct\",\"name\":\"example.Item\",\"optional\":false,\"fields\":"
                + "[{\"field\":\"" + (i == 4 ? "bad-name" : "id") + "\",\"type\":\"int32\",\"optional\":false}]},"
                + "\"payload\":{\"" + (i == 4 ? "bad-name" : "id") + "\":" + i + "}}");

        Map<String, String> config = ConnectorEndToEndTest.connectorConfig(env.sinkConfig(bucket), topic);
        config.put(DsseS3SinkConfig.FORMAT_CLASS, "avro");
        config.put(DsseS3SinkConfig.FLUSH_SIZE, "5");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", "errant-dlq");
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        connect.configureConnector("errant", config);
        TestEnvironment.awaitCondition("offsets committed past the errant record", TestEnvironment.TIMEOUT,
                () -> Long.valueOf(10).equals(ConnectorEndToEndTest.committedOffsets(connect, "errant", topic).get(0)));
        connect.deleteConnector("errant");

        ConsumerRecords<byte[], byte[]> dlq = connect.kafka().consume(1, Duration.ofSeconds(30), "errant-dlq");
        assertEquals(1, dlq.count());
        ConsumerRecord<byte[], byte[]> dead = dlq.iterator().next();
        assertEquals("4", header(dead, "__connect.errors.offset"));
        assertEquals(topic, header(dead, "__connect.errors.topic"));
        assertEquals("org.apache.kafka.connect.errors.DataException", header(dead, "__connect.errors.exception.class.name"));

        // The schema change at offset 4 completes the first object early. The second contains offsets 5 to 9.
        List<S3Object> objects = env.listObjects(bucket);
        assertEquals(List.of(
                "topics/errant/partition=0/errant+0+0000000000.avro",
                "topics/errant/partition=0/errant+0+0000000005.avro"), objects.stream().map(S3Object::key).toList());
        List<Integer> ids = new ArrayList<>();
        for (S3Object object : objects) {
            byte[] plaintext = env.decryptObject(bucket, object.key());
            try (DataFileReader<GenericRecord> reader = new DataFileReader<>(new SeekableByteArrayInput(plaintext), new GenericDatumReader<>())) {
                reader.forEach(record -> ids.add((Integer) record.get("id")));
            }
        }
        assertEquals(List.of(0, 1, 2, 3, 5, 6, 7, 8, 9), ids);

        // Without a dead letter queue the same record stops the task, and the error names it.
        Map<String, String> failing = ConnectorEndToEndTest.connectorConfig(env.sinkConfig(bucket), topic);
        failing.put(DsseS3SinkConfig.FORMAT_CLASS, "avro");
        failing.put(DsseS3SinkConfig.FLUSH_SIZE, "5");
        connect.configureConnector("errant-fail", failing);
        TestEnvironment.awaitCondition("task failed on the errant record", TestEnvironment.TIMEOUT,
                () -> env.taskState("errant-fail").equals("FAILED"));
        String trace = connect.connectorStatus("errant-fail").tasks().get(0).trace();
        assertTrue(trace.contains("topic errant partition 0 offset 4"), trace);
        assertTrue(trace.contains("bad-name"), trace);
        connect.deleteConnector("errant-fail");
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static void produce(LocalKafkaConnect connect, String topic, int count, IntFunction<String> value) {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = TestEnvironment.get().createProducer()) {
            producer.partitionsFor(topic);
            for (int i = 0; i < count; i++) {
                sends.add(producer.send(new ProducerRecord<>(topic, 0, null, value.apply(i).getBytes(StandardCharsets.UTF_8))));
            }
            producer.flush();
        }
        TestEnvironment.awaitSends(sends);
    }
}
