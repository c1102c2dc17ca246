package io.github.dssesink.connector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

import com.github.luben.zstd.ZstdInputStream;

import io.github.dssesink.connector.config.DsseS3SinkConfig;
import io.github.dssesink.connector.format.RecordFormats;
import io.github.dssesink.connector.storage.AwsClients;
import io.github.dssesink.connector.storage.OutputObject;
import io.github.dssesink.crypto.AwsKmsKeyProvider;
import io.github.dssesink.crypto.EnvelopeEncryptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Writes objects through the format, compression, encryption and upload pipeline into S3Mock. */
class ObjectPipelineTest {

    private final TestEnvironment env = TestEnvironment.get();

    @Test
    void objectLargerThanOnePartIsMultipart() throws Exception {
        String bucket = env.createBucket("pipeline-multipart");
        Map<String, String> props = env.sinkConfig(bucket);
        props.put(DsseS3SinkConfig.FORMAT_CLASS, "bytearray");
        props.put(DsseS3SinkConfig.FORMAT_BYTEARRAY_SEPARATOR, "");

        byte[] expected = new byte[DsseS3SinkConfig.MIN_PART_SIZE_IN_BYTES * 2 + 12_345];
        new Random(7).nextBytes(expected);
        String key = writeObject(props, bucket, chunks(expected, 64 * 1024));

        assertArrayEquals(expected, env.decryptObject(bucket, key));
        List<RecordingInterceptor.Exchange> creates = RecordingInterceptor.find("CreateMultipartUpload", bucket + "/" + key);
        assertEquals(1, creates.size());
        assertEquals("aws:kms:dsse", creates.get(0).requestHeader("x-amz-server-side-encryption"));
        assertEquals("aws:kms:dsse", creates.get(0).responseHeader("x-amz-server-side-encryption"));
        assertEquals(env.sseKeyId, creates.get(0).requestHeader("x-amz-server-side-encryption-aws-kms-key-id"));
        assertEquals(3, RecordingInterceptor.find("UploadPart", bucket + "/" + key).size());
        assertEquals(0, RecordingInterceptor.find("PutObject", bucket + "/" + key).size());
    }

    @Test
    void failedObjectIsAbortedAndNeverVisible() throws Exception {
        String bucket = env.createBucket("pipeline-abort");
        Map<String, String> props = env.sinkConfig(bucket);
        props.put(DsseS3SinkConfig.FORMAT_CLASS, "bytearray");
        DsseS3SinkConfig config = new DsseS3SinkConfig(props);
        try (S3Client s3 = AwsClients.s3(config); EnvelopeEncryptor encryptor = encryptor()) {
            WriterSettings settings = new WriterSettings("pipeline", config, s3, RecordFormats.create(config), topic -> encryptor,
                    new SinkTaskMetrics());
            TopicPartition partition = new TopicPartition("aborts", 0);
            OutputObject object = settings.newObject(partition, "partition=0", 0, 0, 0);
            byte[] chunk = new byte[1024 * 1024];
            for (int i = 0; i < 6; i++) {
                object.write(record("aborts", 0, i, chunk));
            }
            String uploadId = env.s3.listMultipartUploads(r -> r.bucket(bucket)).uploads().get(0).uploadId();
            object.abort();

            assertTrue(env.s3.listMultipartUploads(r -> r.bucket(bucket)).uploads().isEmpty(), "upload " + uploadId + " aborted");
            assertThrows(NoSuchKeyException.class, () -> env.s3.headObject(r -> r.bucket(bucket).key(object.key())));
            assertEquals(1, RecordingInterceptor.find("AbortMultipartUpload", bucket + "/" + object.key()).size());
        }
    }

    @Test
    void avroObjectReadsBackWithDataFileReader() throws Exception {
        String bucket = env.createBucket("pipeline-avro");
        Map<String, String> props = env.sinkConfig(bucket);
        props.put(DsseS3SinkConfig.FORMAT_CLASS, "avro");
        Schema address = SchemaBuilder.struct().name("example.Address").field("city", Schema.STRING_SCHEMA).build();
        Schema schema = SchemaBuilder.struct().name("example.Customer")
                .field("id", Schema.INT64_SCHEMA)
                .field("name", Schema.OPTIONAL_STRING_SCHEMA)
                .field("score", Schema.FLOAT64_SCHEMA)
                .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
                .field("address", address)
                .field("created", org.apache.kafka.connect.data.Timestamp.SCHEMA)
                .build();
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Struct value = new Struct(schema).put("id", (long) i).put("name", i % 2 == 0 ? "c" + i : null).put("score", i / 2.0)
                    .put("tags", List.of("a", "b" + i)).put("address", new Struct(address).put("city", "city" + i))
                    .put("created", new java.util.Date(1_700_000_000_000L + i));
            records.add(new SinkRecord("customers", 0, null, null, schema, value, i));
        }
        String key = writeRecords(props, bucket, "customers", records);
        assertTrue(key.endsWith(".avro"), key);

        byte[] plaintext = env.decryptObject(bucket, key);
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(new SeekableByteArrayInput(plaintext), new GenericDatumReader<>())) {
            assertEquals("example.Customer", reader.getSchema().getFullName());
            int i = 0;
            for (GenericRecord record : reader) {
                assertEquals((long) i, record.get("id"));
                assertEquals(i % 2 == 0 ? "c" + i : null, record.get("name") == null ? null : record.get("name").toString());
                assertEquals(i / 2.0, record.get("score"));
                assertEquals("b" + i, ((List<?>) record.get("tags")).get(1).toString());
                assertEquals("city" + i, ((GenericRecord) record.get("address")).get("city").toString());
                assertEquals(1_700_000_000_000L + i, record.get("created"));
                i++;
            }
            assertEquals(50, i);
        }
    }

    @Test
    void gzipAndZstdObjectsDecompress() throws Exception {
        for (String compression : List.of("gzip", "zstd")) {
            String bucket = env.createBucket("pipeline-" + compression);
            Map<String, String> props = env.sinkConfig(bucket);
            props.put(DsseS3SinkConfig.S3_COMPRESSION_TYPE, compression);
            List<SinkRecord> records = new ArrayList<>();
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                records.add(new SinkRecord("logs", 1, null, null, null, Map.of("line", i), i));
                expected.append("{\"line\":").append(i).append("}\n");
            }
            String key = writeRecords(props, bucket, "logs", records);
            assertTrue(key.endsWith(compression.equals("gzip") ? ".json.gz" : ".json.zst"), key);

            byte[] compressed = env.decryptObject(bucket, key);
            InputStream in = compression.equals("gzip") ? new GZIPInputStream(new ByteArrayInputStream(compressed))
                    : new ZstdInputStream(new ByteArrayInputStream(compressed));
            try (in) {
                assertEquals(expected.toString(), new String(in.readAllBytes(), StandardCharsets.UTF_8), compression);
            }
        }
    }

    @Test
    void clientEncryptionOffWritesPlaintext() throws Exception {
        String bucket = env.createBucket("pipeline-plain");
        Map<String, String> props = env.sinkConfig(bucket);
        props.put(DsseS3SinkConfig.CLIENT_ENCRYPTION_ENABLED, "false");
        props.put(DsseS3SinkConfig.FORMAT_CLASS, "bytearray");
        String key = writeObject(props, bucket, List.of("one".getBytes(StandardCharsets.UTF_8), "two".getBytes(StandardCharsets.UTF_8)));

        var object = env.getObject(bucket, key);
        assertEquals("one\ntwo\n", object.asUtf8String());
        assertNull(object.response().metadata().get("dsse-key-block"));
        assertEquals("2", object.response().metadata().get(OutputObject.METADATA_RECORD_COUNT));
    }

    private String writeObject(Map<String, String> props, String bucket, List<byte[]> values) throws IOException {
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            records.add(record("bytes", 0, i, values.get(i)));
        }
        return writeRecords(props, bucket, "bytes", records);
    }

    private String writeRecords(Map<String, String> props, String bucket, String topic, List<SinkRecord> records) throws IOException {
        DsseS3SinkConfig config = new DsseS3SinkConfig(props);
        boolean encrypt = config.getBoolean(DsseS3SinkConfig.CLIENT_ENCRYPTION_ENABLED);
        try (S3Client s3 = AwsClients.s3(config); EnvelopeEncryptor encryptor = encryptor()) {
            WriterSettings settings = new WriterSettings("pipeline", config, s3, RecordFormats.create(config),
                    t -> encrypt ? encryptor : null, new SinkTaskMetrics());
            SinkRecord first = records.get(0);
            OutputObject object = settings.newObject(new TopicPartition(topic, first.kafkaPartition()),
                    "partition=" + first.kafkaPartition(), first.kafkaOffset(), 0, 0);
            for (SinkRecord record : records) {
                object.write(record);
            }
            object.complete();
            return object.key();
        }
    }

    private EnvelopeEncryptor encryptor() {
        AwsKmsKeyProvider provider = new AwsKmsKeyProvider(env.kmsClient);
        return EnvelopeEncryptor.builder().layer1(provider, env.layer1KeyId).layer2(provider, env.layer2KeyId).build();
    }

    private static SinkRecord record(String topic, int partition, long offset, byte[] value) {
        return new SinkRecord(topic, partition, null, null, Schema.BYTES_SCHEMA, value, offset);
    }

    private static List<byte[]> chunks(byte[] data, int size) {
        List<byte[]> chunks = new ArrayList<>();
        for (int start = 0; start < data.length; start += size) {
            chunks.add(java.util.Arrays.copyOfRange(data, start, Math.min(data.length, start + size)));
        }
        return chunks;
    }
}
