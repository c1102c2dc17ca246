package io.github.dssesink.connector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.runtime.ConnectorConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.apicurio.registry.utils.converter.AvroConverter;
import io.github.dssesink.connector.config.DsseS3SinkConfig;
import io.github.dssesink.connector.storage.OutputObject;
import io.github.dssesink.kafkalocal.LocalKafkaConnect;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Runs the connector on Avro records in the Confluent wire format (magic byte 0, then a 4-byte
 * schema ID, then the Avro binary datum), written and read by Apicurio's {@link AvroConverter}
 * against a local Apicurio Registry, and checks the decrypted objects record by record.
 */
class SchemaRegistryEndToEndTest {

    private static final int PARTITIONS = 3;
    private static final int RECORD_COUNT = 600;
    private static final int FLUSH_SIZE = 100;
    private static final String RECORD_NAME = "io.github.dssesink.test.Order";

    private static final Schema ORDER_SCHEMA = SchemaBuilder.struct().name(RECORD_NAME)
            .field("id", Schema.INT64_SCHEMA)
            .field("customer", Schema.STRING_SCHEMA)
            .field("quantity", Schema.INT32_SCHEMA)
            .field("price", Schema.FLOAT64_SCHEMA)
            .field("paid", Schema.BOOLEAN_SCHEMA)
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
            .build();

    private static LocalSchemaRegistry registry;

    private final TestEnvironment env = TestEnvironment.get();

    @BeforeAll
    static void startRegistry() {
        registry = LocalSchemaRegistry.start(Duration.ofMinutes(15));
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void avroRecordsRoundTripToAvroObjects() throws Exception {
        String topic = "registry-avro";
        Map<Integer, List<Struct>> producedByPartition = produceOrders(topic);

        List<S3Object> objects = runConnector(topic, "registry-avro", "avro");

        assertEquals(RECORD_COUNT / FLUSH_SIZE, objects.size());
        Map<Integer, List<GenericRecord>> readByPartition = new TreeMap<>();
        for (S3Object object : objects) {
            String key = object.key();
            ObjectPosition position = checkObjectHead("registry-avro", key, topic, "avro");
            List<GenericRecord> records = readContainer(env.decryptObject("registry-avro", key), key);
            assertEquals(FLUSH_SIZE, records.size(), "records in " + key);
            List<GenericRecord> partitionRecords = readByPartition.computeIfAbsent(position.partition(), p -> new ArrayList<>());
            assertEquals(partitionRecords.size(), position.startOffset(), "start offset of " + key);
            partitionRecords.addAll(records);
        }

        // Objects are listed in key order, which is offset order because the start offset is zero-padded.
        assertEquals(producedByPartition.keySet(), readByPartition.keySet());
        for (Map.Entry<Integer, List<Struct>> entry : producedByPartition.entrySet()) {
            List<Struct> produced = entry.getValue();
            List<GenericRecord> read = readByPartition.get(entry.getKey());
            assertEquals(produced.size(), read.size(), "records of partition " + entry.getKey());
            for (int offset = 0; offset < produced.size(); offset++) {
                assertOrderEquals(produced.get(offset), read.get(offset), entry.getKey() + "@" + offset);
            }
        }
    }

    @Test
    void avroRecordsConvertToJsonLines() throws Exception {
        String topic = "registry-json";
        Map<Integer, List<Struct>> producedByPartition = produceOrders(topic);

        List<S3Object> objects = runConnector(topic, "registry-json", "json");

        assertEquals(RECORD_COUNT / FLUSH_SIZE, objects.size());
        Map<Integer, List<String>> linesByPartition = new TreeMap<>();
        for (S3Object object : objects) {
            String key = object.key();
            ObjectPosition position = checkObjectHead("registry-json", key, topic, "json");
            String plaintext = new String(env.decryptObject("registry-json", key), StandardCharsets.UTF_8);
            assertTrue(plaintext.endsWith("\n"), key);
            List<String> lines = List.of(plaintext.split("\n"));
            assertEquals(FLUSH_SIZE, lines.size(), "lines in " + key);
            List<String> partitionLines = linesByPartition.computeIfAbsent(position.partition(), p -> new ArrayList<>());
            assertEquals(partitionLines.size(), position.startOffset(), "start offset of " + key);
            partitionLines.addAll(lines);
        }

        assertEquals(producedByPartition.keySet(), linesByPartition.keySet());
        for (Map.Entry<Integer, List<Struct>> entry : producedByPartition.entrySet()) {
            List<Struct> produced = entry.getValue();
            List<String> lines = linesByPartition.get(entry.getKey());
            assertEquals(produced.size(), lines.size(), "lines of partition " + entry.getKey());
            for (int offset = 0; offset < produced.size(); offset++) {
                assertEquals(orderJson(produced.get(offset)), lines.get(offset), "line at " + entry.getKey() + "@" + offset);
            }
        }
    }

    /**
     * Serializes orders with Apicurio's converter, which registers the schema, checks that the
     * bytes are in the Confluent wire format with an ID that the Confluent-compatible API serves,
     * and produces them round-robin to the partitions of a new topic.
     */
    private Map<Integer, List<Struct>> produceOrders(String topic) throws Exception {
        env.createTopic(topic, PARTITIONS);
        AvroConverter<Object> converter = new AvroConverter<>();
        Map<String, Object> converterConfig = new HashMap<>(registrySettings());
        converterConfig.put("apicurio.registry.auto-register", "true");
        converter.configure(converterConfig, false);

        Map<Integer, List<Struct>> producedByPartition = new TreeMap<>();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        byte[] header = null;
        try (KafkaProducer<byte[], byte[]> producer = env.createProducer()) {
            producer.partitionsFor(topic);
            for (int i = 0; i < RECORD_COUNT; i++) {
                Struct order = order(i);
                byte[] value = converter.fromConnectData(topic, ORDER_SCHEMA, order);
                if (i == 0) {
                    header = checkWireFormat(value, order);
                }
                assertArrayEquals(header, Arrays.copyOf(value, header.length), "magic byte and schema ID of record " + i);
                int partition = i % PARTITIONS;
                sends.add(producer.send(new ProducerRecord<>(topic, partition, null, value)));
                producedByPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(order);
            }
            producer.flush();
        }
        TestEnvironment.awaitSends(sends);
        converter.close();

        Map<Integer, Long> endOffsets = env.endOffsets(topic);
        for (int partition = 0; partition < PARTITIONS; partition++) {
            assertEquals((long) (RECORD_COUNT / PARTITIONS), endOffsets.get(partition), "end offset of partition " + partition);
        }
        return producedByPartition;
    }

    /** Runs the connector until it has committed every offset, deletes it, and returns the objects in its bucket. */
    private List<S3Object> runConnector(String topic, String bucketAndConnector, String format) throws InterruptedException {
        LocalKafkaConnect connect = env.connect();
        String bucket = env.createBucket(bucketAndConnector);
        Map<String, String> config = ConnectorEndToEndTest.connectorConfig(env.sinkConfig(bucket), topic);
        config.put(ConnectorConfig.VALUE_CONVERTER_CLASS_CONFIG, AvroConverter.class.getName());
        config.remove("value.converter.schemas.enable");
        registrySettings().forEach((name, value) -> config.put("value.converter." + name, value));
        config.put(DsseS3SinkConfig.FORMAT_CLASS, format);
        config.put(DsseS3SinkConfig.FLUSH_SIZE, Integer.toString(FLUSH_SIZE));
        connect.configureConnector(bucketAndConnector, config);

        Map<Integer, Long> endOffsets = env.endOffsets(topic);
        TestEnvironment.awaitCondition("offsets committed up to the end offsets", TestEnvironment.TIMEOUT,
                () -> ConnectorEndToEndTest.committedOffsets(connect, bucketAndConnector, topic).equals(endOffsets));
        connect.deleteConnector(bucketAndConnector);
        return env.listObjects(bucket);
    }

    /**
     * Settings that make Apicurio's converter write and read the Confluent wire format with content IDs.
     * NOTE: with as-confluent, Apicurio 2.6.13 logs "Duplicate id-handler configuration" at WARN for every
     * serializer and deserializer, because it creates its default ID handler before it replaces it with the
     * 4-byte one. The warning is harmless, and checkWireFormat verifies the 4-byte ID.
     */
    private static Map<String, String> registrySettings() {
        return Map.of(
                "apicurio.registry.url", registry.registryUrl(),
                "apicurio.registry.headers.enabled", "false",
                "apicurio.registry.as-confluent", "true",
                "apicurio.registry.use-id", "contentId");
    }

    private static Struct order(int i) {
        return new Struct(ORDER_SCHEMA)
                .put("id", 1_000_000_000_000L + i)
                .put("customer", "customer-" + (i % 17) + (i % 5 == 0 ? " \u00e9\u4e2d\"\\" : ""))
                .put("quantity", i % 9 - 4)
                .put("price", i * 0.25)
                .put("paid", i % 2 == 0)
                .put("note", i % 3 == 0 ? null : "note " + i)
                .put("tags", i % 4 == 0 ? List.of() : List.of("t" + i % 4, "u" + i % 7));
    }

    /** Returns the JSON line that the json format writes for an order: the fields in schema order, no envelope. */
    private static String orderJson(Struct order) {
        String tags = order.<String>getArray("tags").stream().map(tag -> "\"" + tag + "\"").collect(Collectors.joining(","));
        String note = order.getString("note") == null ? "null" : "\"" + order.getString("note") + "\"";
        String customer = order.getString("customer").replace("\\", "\\\\").replace("\"", "\\\"");
        return "{\"id\":" + order.getInt64("id")
                + ",\"customer\":\"" + customer + "\""
                + ",\"quantity\":" + order.getInt32("quantity")
                + ",\"price\":" + order.getFloat64("price")
                + ",\"paid\":" + order.getBoolean("paid")
                + ",\"note\":" + note
                + ",\"tags\":[" + tags + "]}";
    }

    /**
     * Checks that a value is the magic byte 0, a 4-byte schema ID that the Confluent-compatible API
     * resolves to the order schema, and the Avro binary datum of the order with nothing after it.
     * Returns the first 5 bytes.
     */
    private static byte[] checkWireFormat(byte[] value, Struct order) throws IOException, InterruptedException {
        assertTrue(value.length > 5, "serialized value has " + value.length + " bytes");
        assertEquals(0, value[0], "magic byte");
        int schemaId = ByteBuffer.wrap(value, 1, 4).getInt();
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(registry.confluentCompatibleUrl() + "/schemas/ids/" + schemaId)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), "GET /schemas/ids/" + schemaId + ": " + response.body());

        String schemaJson = new ObjectMapper().readTree(response.body()).get("schema").asText();
        org.apache.avro.Schema registered = new org.apache.avro.Schema.Parser().parse(schemaJson);
        assertEquals(RECORD_NAME, registered.getFullName(), "registered schema " + schemaJson);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null);
        GenericRecord datum = new GenericDatumReader<GenericRecord>(registered).read(null, decoder);
        assertTrue(decoder.isEnd(), "bytes left after the Avro datum");
        assertOrderEquals(order, datum, "the first serialized value");
        return Arrays.copyOf(value, 5);
    }

    /** Topic partition and offset of the first record of an object. */
    private record ObjectPosition(int partition, long startOffset) {
    }

    /** Checks the server-side encryption headers, the key and the metadata of an object, and returns its position. */
    private ObjectPosition checkObjectHead(String bucket, String key, String topic, String format) {
        HeadObjectResponse head = env.s3.headObject(r -> r.bucket(bucket).key(key));
        assertEquals("aws:kms:dsse", head.serverSideEncryptionAsString(), "SSE of " + key);
        assertEquals(env.sseKeyId, ConnectorEndToEndTest.lastSegment(head.ssekmsKeyId()), "SSE KMS key of " + key);

        Map<String, String> metadata = head.metadata();
        int partition = Integer.parseInt(metadata.get(OutputObject.METADATA_PARTITION));
        long start = Long.parseLong(metadata.get(OutputObject.METADATA_START_OFFSET));
        assertEquals(String.format("topics/%s/partition=%d/%s+%d+%010d.%s", topic, partition, topic, partition, start, format), key);
        assertEquals(topic, metadata.get(OutputObject.METADATA_TOPIC));
        assertEquals(format, metadata.get(OutputObject.METADATA_FORMAT));
        assertEquals(Integer.toString(FLUSH_SIZE), metadata.get(OutputObject.METADATA_RECORD_COUNT));
        assertEquals(start + FLUSH_SIZE - 1, Long.parseLong(metadata.get(OutputObject.METADATA_END_OFFSET)));
        return new ObjectPosition(partition, start);
    }

    /** Parses an Avro object container file and checks that its schema is the order record with the expected fields. */
    private static List<GenericRecord> readContainer(byte[] container, String key) throws IOException {
        List<GenericRecord> records = new ArrayList<>();
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(new SeekableByteArrayInput(container),
                new GenericDatumReader<>())) {
            org.apache.avro.Schema schema = reader.getSchema();
            assertEquals(RECORD_NAME, schema.getFullName(), "record name in " + key);
            Map<String, String> fieldTypes = new LinkedHashMap<>();
            schema.getFields().forEach(field -> fieldTypes.put(field.name(), field.schema().toString()));
            assertEquals(Map.of(
                    "id", "\"long\"",
                    "customer", "\"string\"",
                    "quantity", "\"int\"",
                    "price", "\"double\"",
                    "paid", "\"boolean\"",
                    "note", "[\"null\",\"string\"]",
                    "tags", "{\"type\":\"array\",\"items\":\"string\"}"), fieldTypes, "fields in " + key);
            assertEquals(List.of("id", "customer", "quantity", "price", "paid", "note", "tags"),
                    new ArrayList<>(fieldTypes.keySet()), "field order in " + key);
            reader.forEach(records::add);
        }
        return records;
    }

    private static void assertOrderEquals(Struct expected, GenericRecord actual, String position) {
        assertEquals(expected.getInt64("id"), actual.get("id"), "id at " + position);
        assertEquals(expected.getString("customer"), String.valueOf(actual.get("customer")), "customer at " + position);
        assertEquals(expected.getInt32("quantity"), actual.get("quantity"), "quantity at " + position);
        assertEquals(expected.getFloat64("price"), actual.get("price"), "price at " + position);
        assertEquals(expected.getBoolean("paid"), actual.get("paid"), "paid at " + position);
        Object note = actual.get("note");
        assertEquals(expected.getString("note"), note == null ? null : note.toString(), "note at " + position);
        List<String> tags = new ArrayList<>();
        ((List<?>) actual.get("tags")).forEach(tag -> tags.add(tag.toString()));
        assertEquals(expected.getArray("tags"), tags, "tags at " + position);
    }
}
