package io.github.dssesink.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.junit.jupiter.api.Test;

import io.github.dssesink.connector.config.DsseS3SinkConfig;
import io.github.dssesink.kafkalocal.LocalKafkaConnect;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Rotation, null values, bucket policy denials and restarts, in a real Connect worker. */
class ConnectorBehaviorTest {

    private final TestEnvironment env = TestEnvironment.get();

    @Test
    void idlePartitionClosedBySchedule() throws Exception {
        LocalKafkaConnect connect = env.connect();
        String topic = "idle";
        String bucket = env.createBucket("behavior-idle");
        env.createTopic(topic, 1);
        produce(connect, topic, 5, i -> "{\"n\":" + i + "}");

        Map<String, String> config = ConnectorEndToEndTest.connectorConfig(env.sinkConfig(bucket), topic);
        config.put("value.converter.schemas.enable", "false");
        config.put(DsseS3SinkConfig.FLUSH_SIZE, "100000");
        config.put(DsseS3SinkConfig.ROTATE_SCHEDULE_INTERVAL_MS, "2000");
        connect.configureConnector("idle", config);

        // No more records arrive: only the schedule can complete the object and release the offsets.
        TestEnvironment.awaitCondition("scheduled object and its offset", TestEnvironment.TIMEOUT,
                () -> Long.valueOf(5).equals(ConnectorEndToEndTest.committedOffsets(connect, "idle", topic).get(0)));
        connect.deleteConnector("idle");

        List<S3Object> objects = env.listObjects(bucket);
        assertEquals(1, objects.size());
        assertEquals("{\"n\":0}\n{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n{\"n\":4}\n",
                new String(env.decryptObject(bucket, objects.get(0).key()), StandardCharsets.UTF_8));
    }

    @Test
    void nullValuesFollowConfiguredBehavior() throws Exception {
        LocalKafkaConnect connect = env.connect();
        for (String behavior : List.of("ignore", "write", "fail")) {
            String topic = "nulls-" + behavior;
            String bucket = env.createBucket("behavior-nulls-" + behavior);
            env.createTopic(topic, 1);
            produce(connect, topic, 4, i -> i == 1 ? null : "{\"n\":" + i + "}");

            Map<String, String> config = ConnectorEndToEndTest.connectorConfig(env.sinkConfig(bucket), topic);
            config.put("value.converter.schemas.enable", "false");
            config.put(DsseS3SinkConfig.FLUSH_SIZE, behavior.equals("ignore") ? "3" : "4");
            config.put(DsseS3SinkConfig.BEHAVIOR_ON_NULL_VALUES, behavior);
            String connector = "nulls-" + behavior;
            connect.configureConnector(connector, config);

            if (behavior.equals("fail")) {
                TestEnvironment.awaitCondition("task failed on the tombstone", TestEnvironment.TIMEOUT,
                        () -> taskState(connect, connector).equals("FAILED"));
                String trace = connect.connectorStatus(connector).tasks().get(0).trace();
                assertTrue(trace.contains("offset 1"), trace);
                assertTrue(trace.contains(DsseS3SinkConfig.BEHAVIOR_ON_NULL_VALUES), trace);
                assertTrue(env.listObjects(bucket).isEmpty());
            } else {
                TestEnvironment.awaitCondition("object written", TestEnvironment.TIMEOUT, () -> env.listObjects(bucket).size() == 1);
                String expected = behavior.equals("ignore") ? "{\"n\":0}\n{\"n\":2}\n{\"n\":3}\n" : "{\"n\":0}\nnull\n{\"n\":2}\n{\"n\":3}\n";
                assertEquals(expected, new String(env.decryptObject(bucket, env.listObjects(bucket).get(0).key()), StandardCharsets.UTF_8));
            }
            connect.deleteConnector(connector);
        }
    }

    @Test
    void bucketPolicyDeniesUploadsWithoutDsse() throws Exception {
        LocalKafkaConnect connect = env.connect();
        String bucket = env.createBucket("behavior-policy");
        try (PolicyFront front = new PolicyFront(env.s3Server.endpoint())) {
            // aws:kms is denied by the policy: the task fails and commits nothing.
            String deniedTopic = "policy-denied";
            env.createTopic(deniedTopic, 1);
            produce(connect, deniedTopic, 10, i -> "{\"n\":" + i + "}");
            Map<String, String> denied = ConnectorEndToEndTest.connectorConfig(env.sinkConfig(bucket, front.endpoint()), deniedTopic);
            denied.put("value.converter.schemas.enable", "false");
            denied.put(DsseS3SinkConfig.FLUSH_SIZE, "5");
            denied.put(DsseS3SinkConfig.S3_SSEA_NAME, "aws:kms");
            connect.configureConnector("policy-denied", denied);
            TestEnvironment.awaitCondition("denied task failed", TestEnvironment.TIMEOUT,
                    () -> taskState(connect, "policy-denied").equals("FAILED"));
            String trace = connect.connectorStatus("policy-denied").tasks().get(0).trace();
            assertTrue(trace.contains("403"), trace);
            assertTrue(trace.contains("AccessDenied"), trace);
            assertTrue(trace.contains(bucket), trace);
            assertTrue(front.denied.get() > 0);
            assertTrue(ConnectorEndToEndTest.committedOffsets(connect, "policy-denied", deniedTopic).isEmpty());
            connect.deleteConnector("policy-denied");
            assertTrue(env.listObjects(bucket).isEmpty());

            // The default aws:kms:dsse passes the same policy.
            String allowedTopic = "policy-allowed";
            env.createTopic(allowedTopic, 1);
            produce(connect, allowedTopic, 10, i -> "{\"n\":" + i + "}");
            Map<String, String> allowed = ConnectorEndToEndTest.connectorConfig(env.sinkConfig(bucket, front.endpoint()), allowedTopic);
            allowed.put("value.converter.schemas.enable", "false");
            allowed.put(DsseS3SinkConfig.FLUSH_SIZE, "5");
            connect.configureConnector("policy-allowed", allowed);
            TestEnvironment.awaitCondition("allowed offsets committed", TestEnvironment.TIMEOUT,
                    () -> Long.valueOf(10).equals(ConnectorEndToEndTest.committedOffsets(connect, "policy-allowed", allowedTopic).get(0)));
            connect.deleteConnector("policy-allowed");
            assertEquals(2, env.listObjects(bucket).size());
        }
    }

    @Test
    void restartMidStreamKeepsEveryRecordOnce() throws Exception {
        LocalKafkaConnect connect = env.connect();
        String topic = "restart";
        String bucket = env.createBucket("behavior-restart");
        env.createTopic(topic, 1);
        produce(connect, topic, 500, i -> "{\"n\":" + i + "}");

        Map<String, String> config = ConnectorEndToEndTest.connectorConfig(env.sinkConfig(bucket), topic);
        config.put("value.converter.schemas.enable", "false");
        config.put(DsseS3SinkConfig.FLUSH_SIZE, "100");
        connect.configureConnector("restart", config);
        TestEnvironment.awaitCondition("first objects", TestEnvironment.TIMEOUT, () -> env.listObjects(bucket).size() >= 2);

        connect.restartConnectorAndTasks("restart", false, true);
        produce(connect, topic, 500, i -> "{\"n\":" + (500 + i) + "}");
        TestEnvironment.awaitCondition("all offsets committed", TestEnvironment.TIMEOUT,
                () -> Long.valueOf(1000).equals(ConnectorEndToEndTest.committedOffsets(connect, "restart", topic).get(0)));
        connect.deleteConnector("restart");

        List<String> lines = new ArrayList<>();
        for (S3Object object : env.listObjects(bucket)) {
            lines.addAll(List.of(new String(env.decryptObject(bucket, object.key()), StandardCharsets.UTF_8).split("\n")));
        }
        assertEquals(1000, lines.size());
        for (int i = 0; i < 1000; i++) {
            assertEquals("{\"n\":" + i + "}", lines.get(i));
        }
    }

    private static String taskState(LocalKafkaConnect connect, String connector) {
        try {
            List<ConnectorStateInfo.TaskState> tasks = connect.connectorStatus(connector).tasks();
            return tasks.isEmpty() ? "NONE" : tasks.get(0).state();
        } catch (RuntimeException e) {
            return "UNKNOWN";
        }
    }

    private static void produce(LocalKafkaConnect connect, String topic, int count,
                                java.util.function.IntFunction<String> value) {
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
            producer.partitionsFor(topic);
            for (int i = 0; i < count; i++) {
                String text = value.apply(i);
                producer.send(new ProducerRecord<>(topic, 0, null, text == null ? null : text.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }
}
