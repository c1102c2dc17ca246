package io.github.dssesink.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One KRaft broker and one distributed Connect worker in this JVM, from Kafka's own test harness
 * ({@link EmbeddedConnectCluster}). The broker and the worker's REST server listen on localhost.
 * The worker loads connectors only from {@code plugin.path}.
 */
final class LocalKafkaConnect implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaConnect.class);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);

    private final EmbeddedConnectCluster cluster;

    private LocalKafkaConnect(EmbeddedConnectCluster cluster) {
        this.cluster = cluster;
    }

    /** Starts the broker and the worker; {@code pluginPath} is the directory that holds the unpacked plugin. */
    static LocalKafkaConnect start(Path pluginPath) {
        Map<String, String> workerProps = new HashMap<>();
        workerProps.put("plugin.path", pluginPath.toAbsolutePath().toString());
        // Reads META-INF/services instead of scanning every jar on the class path and plugin.path.
        workerProps.put("plugin.discovery", "service_load");
        // The sink reports only offsets of objects complete in S3; commit them every second.
        workerProps.put("offset.flush.interval.ms", "1000");
        EmbeddedConnectCluster cluster = new EmbeddedConnectCluster.Builder()
                .name("dsse-demo")
                .numWorkers(1)
                .numBrokers(1)
                .workerProps(workerProps)
                .build();
        cluster.start();
        LOG.info("Kafka broker at {} and Connect worker at {} started", cluster.kafka().bootstrapServers(),
                cluster.endpointForResource(""));
        return new LocalKafkaConnect(cluster);
    }

    EmbeddedConnectCluster cluster() {
        return cluster;
    }

    String bootstrapServers() {
        return cluster.kafka().bootstrapServers();
    }

    String restEndpoint() {
        return cluster.endpointForResource("");
    }

    /** Creates the topic and waits until every partition has a leader, so that no record is lost. */
    void createTopic(String topic, int partitions) {
        cluster.kafka().createTopic(topic, partitions);
        try (KafkaProducer<byte[], byte[]> producer = cluster.kafka().createProducer(Map.of())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (producer.partitionsFor(topic).stream().anyMatch(info -> info.leader() == null)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Topic " + topic + " has partitions without a leader after 60 s");
                }
                sleep(POLL_INTERVAL);
            }
        }
    }

    /**
     * Produces the values in order, without keys, spread round-robin over the partitions, and
     * records each record's partition and offset.
     */
    ProducedRecords produce(String topic, int partitionCount, List<byte[]> values) {
        int[] partitions = new int[values.size()];
        long[] offsets = new long[values.size()];
        AtomicReference<Exception> failure = new AtomicReference<>();
        Map<String, Object> props = Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        try (KafkaProducer<byte[], byte[]> producer = cluster.kafka().createProducer(props)) {
            for (int i = 0; i < values.size(); i++) {
                int index = i;
                producer.send(new ProducerRecord<>(topic, i % partitionCount, null, values.get(i)), (metadata, exception) -> {
                    if (exception != null) {
                        failure.compareAndSet(null, exception);
                        return;
                    }
                    partitions[index] = metadata.partition();
                    offsets[index] = metadata.offset();
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("Failed to produce to topic " + topic + ": " + failure.get().getMessage(), failure.get());
        }
        return new ProducedRecords(values, partitions, offsets);
    }

    /** Creates the connector through the worker's REST API. */
    void createConnector(String name, Map<String, String> config) {
        cluster.configureConnector(name, config);
    }

    /**
     * Waits until the consumer group {@code connect-<name>} has committed the end offset of every
     * partition.
     *
     * @throws TimeoutException if that does not happen within {@code timeout}
     * @throws IllegalStateException if the connector or a task fails
     */
    void awaitCommitted(String connectorName, String topic, Map<Integer, Long> endOffsets, Duration timeout)
            throws TimeoutException, InterruptedException, ExecutionException {
        String groupId = "connect-" + connectorName;
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = cluster.kafka().createAdminClient()) {
            while (true) {
                failIfConnectorFailed(connectorName);
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
                long behind = 0;
                for (Map.Entry<Integer, Long> end : endOffsets.entrySet()) {
                    OffsetAndMetadata offset = committed.get(new TopicPartition(topic, end.getKey()));
                    long position = offset == null ? 0 : offset.offset();
                    behind += Math.max(0, end.getValue() - position);
                }
                if (behind == 0) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("Consumer group " + groupId + " is still " + behind
                            + " records behind the end offsets after " + timeout.toSeconds() + " s; committed: " + committed);
                }
                Thread.sleep(POLL_INTERVAL.toMillis());
            }
        }
    }

    private void failIfConnectorFailed(String connectorName) {
        ConnectorStateInfo status;
        try {
            status = cluster.connectorStatus(connectorName);
        } catch (RuntimeException notYetKnown) {
            return;
        }
        if ("FAILED".equals(status.connector().state())) {
            throw new IllegalStateException("Connector " + connectorName + " failed: " + status.connector().trace());
        }
        for (ConnectorStateInfo.TaskState task : status.tasks()) {
            if ("FAILED".equals(task.state())) {
                throw new IllegalStateException("Task " + task.id() + " of connector " + connectorName + " failed: " + task.trace());
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the topic's leaders", e);
        }
    }

    @Override
    public void close() {
        cluster.stop();
        LOG.info("Kafka broker and Connect worker stopped");
    }
}
