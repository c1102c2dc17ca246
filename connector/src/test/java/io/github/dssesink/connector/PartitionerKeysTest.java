package io.github.dssesink.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import io.github.dssesink.connector.config.DsseS3SinkConfig;
import io.github.dssesink.kafkalocal.LocalKafkaConnect;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Object keys of the field, time-based, hourly and daily partitioners for known record
 * timestamps and fields, in a real Connect worker. Each encoded partition gets exactly two
 * records and flush.size is 2, so each object key names the offset of its partition's first record.
 */
class PartitionerKeysTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestEnvironment env = TestEnvironment.get();

    /** One record: its Kafka timestamp, its schemaless JSON value and the encoded partition it must land in. */
    private record Case(long timestampMs, String value, String expectedPath) {
    }

    /** One connector: its partitioner settings and records. */
    private record Scenario(String name, Map<String, String> settings, List<Case> cases) {
    }

    @Test
    void keysMatchPartitionerPaths() throws Exception {
        String hivePath = "'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH";
        List<Scenario> scenarios = List.of(
                new Scenario("keys-field", Map.of(
                        DsseS3SinkConfig.PARTITIONER_CLASS, "field",
                        DsseS3SinkConfig.PARTITION_FIELD_NAME, "region,tier"), List.of(
                        new Case(0, "{\"region\":\"eu\",\"tier\":1}", "region=eu/tier=1"),
                        new Case(0, "{\"region\":\"us\",\"tier\":2}", "region=us/tier=2"),
                        new Case(0, "{\"region\":\"eu\",\"tier\":1}", "region=eu/tier=1"),
                        new Case(0, "{\"region\":\"us\",\"tier\":2}", "region=us/tier=2"))),
                // 2024-12-30 is in ISO week 1 of 2025: a YYYY left as week-based year would write year=2025.
                new Scenario("keys-time-record", Map.of(
                        DsseS3SinkConfig.PARTITIONER_CLASS, "time",
                        DsseS3SinkConfig.PATH_FORMAT, hivePath,
                        DsseS3SinkConfig.PARTITION_DURATION_MS, "3600000",
                        DsseS3SinkConfig.TIMESTAMP_EXTRACTOR, "Record",
                        DsseS3SinkConfig.TIMEZONE, "UTC"), List.of(
                        new Case(ms("2024-12-30T23:10:00Z"), "{\"n\":0}", "year=2024/month=12/day=30/hour=23"),
                        new Case(ms("2025-01-01T00:05:00Z"), "{\"n\":1}", "year=2025/month=01/day=01/hour=00"),
                        new Case(ms("2024-12-30T23:59:59.999Z"), "{\"n\":2}", "year=2024/month=12/day=30/hour=23"),
                        new Case(ms("2025-01-01T00:00:00Z"), "{\"n\":3}", "year=2025/month=01/day=01/hour=00"))),
                // The field's time decides the path, whatever the Kafka timestamp; Berlin is UTC+2 in July.
                new Scenario("keys-time-field", Map.of(
                        DsseS3SinkConfig.PARTITIONER_CLASS, "io.confluent.connect.storage.partitioner.TimeBasedPartitioner",
                        DsseS3SinkConfig.PATH_FORMAT, "'dt'=YYYY-MM-dd/'hr'=HH",
                        DsseS3SinkConfig.PARTITION_DURATION_MS, "3600000",
                        DsseS3SinkConfig.TIMESTAMP_EXTRACTOR, "RecordField",
                        DsseS3SinkConfig.TIMESTAMP_FIELD, "ts",
                        DsseS3SinkConfig.TIMEZONE, "Europe/Berlin"), List.of(
                        new Case(0, "{\"ts\":" + ms("2024-07-01T22:30:00Z") + "}", "dt=2024-07-02/hr=00"),
                        new Case(0, "{\"ts\":" + ms("2024-07-01T21:59:00Z") + "}", "dt=2024-07-01/hr=23"),
                        new Case(0, "{\"ts\":\"2024-07-01T22:45:00Z\"}", "dt=2024-07-02/hr=00"),
                        new Case(0, "{\"ts\":" + ms("2024-07-01T21:00:00Z") + "}", "dt=2024-07-01/hr=23"))),
                // Kolkata is UTC+05:30, so hours start at :30 UTC.
                new Scenario("keys-hourly", Map.of(
                        DsseS3SinkConfig.PARTITIONER_CLASS, "hourly",
                        DsseS3SinkConfig.TIMESTAMP_EXTRACTOR, "Record",
                        DsseS3SinkConfig.TIMEZONE, "Asia/Kolkata"), List.of(
                        new Case(ms("2024-06-01T10:15:00Z"), "{\"n\":0}", "year=2024/month=06/day=01/hour=15"),
                        new Case(ms("2024-06-01T10:35:00Z"), "{\"n\":1}", "year=2024/month=06/day=01/hour=16"),
                        new Case(ms("2024-06-01T10:29:59Z"), "{\"n\":2}", "year=2024/month=06/day=01/hour=15"),
                        new Case(ms("2024-06-01T10:30:00Z"), "{\"n\":3}", "year=2024/month=06/day=01/hour=16"))),
                // New York changes from UTC-5 to UTC-4 at 2024-03-10T07:00Z; the day still starts at local midnight.
                new Scenario("keys-daily", Map.of(
                        DsseS3SinkConfig.PARTITIONER_CLASS, "io.confluent.connect.storage.partitioner.DailyPartitioner",
                        DsseS3SinkConfig.TIMESTAMP_EXTRACTOR, "Record",
                        DsseS3SinkConfig.TIMEZONE, "America/New_York"), List.of(
                        new Case(ms("2024-03-10T03:30:00Z"), "{\"n\":0}", "year=2024/month=03/day=09"),
                        new Case(ms("2024-03-10T12:00:00Z"), "{\"n\":1}", "year=2024/month=03/day=10"),
                        new Case(ms("2024-03-10T04:59:59Z"), "{\"n\":2}", "year=2024/month=03/day=09"),
                        new Case(ms("2024-03-11T03:59:59Z"), "{\"n\":3}", "year=2024/month=03/day=10"))));

        LocalKafkaConnect connect = env.connect();
        for (Scenario scenario : scenarios) {
            env.createTopic(scenario.name(), 1);
            env.createBucket(scenario.name());
            produce(connect, scenario);
            Map<String, String> config = ConnectorEndToEndTest.connectorConfig(env.sinkConfig(scenario.name()), scenario.name());
            config.put("value.converter.schemas.enable", "false");
            config.put(DsseS3SinkConfig.FLUSH_SIZE, "2");
            config.putAll(scenario.settings());
            connect.configureConnector(scenario.name(), config);
        }

        for (Scenario scenario : scenarios) {
            String name = scenario.name();
            TestEnvironment.awaitCondition("offsets of " + name + " committed", TestEnvironment.TIMEOUT,
                    () -> Long.valueOf(scenario.cases().size()).equals(ConnectorEndToEndTest.committedOffsets(connect, name, name).get(0)));
            connect.deleteConnector(name);

            // Schemaless values go through a HashMap in Connect, so fields are compared as JSON trees, not text.
            Map<String, List<JsonNode>> expected = new TreeMap<>();
            Map<String, Integer> firstOffset = new LinkedHashMap<>();
            for (int offset = 0; offset < scenario.cases().size(); offset++) {
                Case c = scenario.cases().get(offset);
                firstOffset.putIfAbsent(c.expectedPath(), offset);
                expected.computeIfAbsent(String.format("topics/%s/%s/%s+0+%010d.json", name, c.expectedPath(), name,
                        firstOffset.get(c.expectedPath())), key -> new ArrayList<>()).add(JSON.readTree(c.value()));
            }
            Map<String, List<JsonNode>> actual = new TreeMap<>();
            for (S3Object object : env.listObjects(name)) {
                String plaintext = new String(env.decryptObject(name, object.key()), StandardCharsets.UTF_8);
                List<JsonNode> lines = new ArrayList<>();
                for (String line : plaintext.split("\n")) {
                    lines.add(JSON.readTree(line));
                }
                actual.put(object.key(), lines);
            }
            assertEquals(expected, actual, "objects of " + name);
        }
    }

    private static void produce(LocalKafkaConnect connect, Scenario scenario) {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = TestEnvironment.get().createProducer()) {
            producer.partitionsFor(scenario.name());
            for (Case c : scenario.cases()) {
                Long timestamp = c.timestampMs() == 0 ? null : c.timestampMs();
                sends.add(producer.send(new ProducerRecord<>(scenario.name(), 0, timestamp, null, c.value().getBytes(StandardCharsets.UTF_8))));
            }
            producer.flush();
        }
        TestEnvironment.awaitSends(sends);
    }

    private static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }
}
