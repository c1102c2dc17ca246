package io.github.dssesink.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.dssesink.connector.config.DsseS3SinkConfig;
import io.github.dssesink.connector.format.RecordFormats;
import io.github.dssesink.connector.storage.AwsClients;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The offset rules of one topic-partition writer after a failure. Objects stay below one part and
 * are never completed, so the S3 client, on a loopback port where nothing listens, gets no request.
 */
class TopicPartitionWriterTest {

    private static final TopicPartition PARTITION = new TopicPartition("gaps", 0);

    private S3Client s3;
    private TopicPartitionWriter writer;

    @BeforeEach
    void createWriter() {
        Map<String, String> props = new HashMap<>();
        props.put(DsseS3SinkConfig.S3_BUCKET_NAME, "unused");
        props.put(DsseS3SinkConfig.S3_REGION, TestEnvironment.REGION);
        props.put(DsseS3SinkConfig.STORE_URL, URI.create("http://127.0.0.1:9").toString());
        props.put(DsseS3SinkConfig.S3_PATH_STYLE_ACCESS_ENABLED, "true");
        props.put(DsseS3SinkConfig.AWS_ACCESS_KEY_ID, TestEnvironment.ACCESS_KEY_ID);
        props.put(DsseS3SinkConfig.AWS_SECRET_ACCESS_KEY, TestEnvironment.SECRET_ACCESS_KEY);
        props.put(DsseS3SinkConfig.S3_SSEA_NAME, "");
        props.put(DsseS3SinkConfig.CLIENT_ENCRYPTION_ENABLED, "false");
        props.put(DsseS3SinkConfig.FORMAT_CLASS, "bytearray");
        props.put(DsseS3SinkConfig.FLUSH_SIZE, "1000");
        DsseS3SinkConfig config = new DsseS3SinkConfig(props);
        s3 = AwsClients.s3(config);
        WriterSettings settings = new WriterSettings("writer-test", config, s3, RecordFormats.create(config), topic -> null,
                new SinkTaskMetrics());
        writer = new TopicPartitionWriter(PARTITION, settings);
    }

    @AfterEach
    void closeWriter() {
        writer.close();
        s3.close();
    }

    @Test
    void resumesAtFirstOffsetAfterGap() throws Exception {
        write(10, 11, 12);
        assertEquals(10, writer.discardAfterFailure());
        assertTrue(writer.awaitsRewind());

        assertFalse(writer.admits(record(9), false), "offset before the resume offset is a duplicate");
        // Offsets 10 to 13 were removed by compaction or retention: the rewound consumer starts at 14.
        assertTrue(writer.admits(record(14), false));
        assertFalse(writer.awaitsRewind());
        write(14);
        assertFalse(writer.admits(record(14), false), "offset 14 again is a duplicate");
        assertTrue(writer.admits(record(15), false));
        assertEquals(OptionalLong.of(14), writer.takeCommittableOffset());
    }

    @Test
    void resumesAtExactOffset() throws Exception {
        write(0, 1, 2, 3);
        assertEquals(0, writer.discardAfterFailure());

        assertTrue(writer.admits(record(0), false));
        write(0);
        assertTrue(writer.admits(record(1), false));
        assertFalse(writer.admits(record(0), false));
    }

    @Test
    void dropsRedeliveredBatchWhileAwaitingRewind() throws Exception {
        // The failed object started at 20 in an earlier batch; Connect delivers the failed batch, 25 to 27, again.
        write(20, 21, 22, 23, 24, 25, 26);
        assertEquals(20, writer.discardAfterFailure());

        for (long offset = 25; offset <= 27; offset++) {
            assertFalse(writer.admits(record(offset), true), "redelivered offset " + offset);
        }
        assertTrue(writer.awaitsRewind());
        assertTrue(writer.admits(record(20), false), "first offset from the rewound consumer");
        write(20);
        assertTrue(writer.admits(record(21), false));
    }

    @Test
    void redeliveryWithoutFailureKeepsNewRecords() throws Exception {
        write(0, 1);
        assertFalse(writer.admits(record(1), true));
        assertTrue(writer.admits(record(2), true));
    }

    @Test
    void commitsNothingWhileAwaitingRewind() throws Exception {
        write(5, 6);
        writer.discardAfterFailure();
        assertEquals(OptionalLong.empty(), writer.takeCommittableOffset());

        assertTrue(writer.admits(record(7), false));
        write(7);
        assertEquals(OptionalLong.of(7), writer.takeCommittableOffset());
    }

    private void write(long... offsets) throws Exception {
        for (long offset : offsets) {
            writer.write(record(offset), "partition=0", 0, 0);
        }
    }

    private static SinkRecord record(long offset) {
        return new SinkRecord(PARTITION.topic(), PARTITION.partition(), null, null, Schema.BYTES_SCHEMA,
                ("value-" + offset).getBytes(java.nio.charset.StandardCharsets.UTF_8), offset);
    }
}
