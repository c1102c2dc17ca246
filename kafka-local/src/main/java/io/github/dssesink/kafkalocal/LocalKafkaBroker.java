package io.github.dssesink.kafkalocal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool$;

/**
 * One Kafka broker in KRaft mode (broker and controller in one node) in this JVM, with both
 * listeners on 127.0.0.1. Kafka's test harness ({@code KafkaClusterTestKit}) pre-binds its ports
 * on every interface, so this class starts the server itself, the way {@code kafka-storage.sh
 * format} and {@code kafka-server-start.sh} would.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final Duration TOPIC_READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;
    private boolean closed;

    private LocalKafkaBroker(KafkaRaftServer server, String bootstrapServers, Path dataDir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
    }

    /** Formats a fresh log directory under {@code workDir} and starts the server. */
    public static LocalKafkaBroker start(Path workDir) throws IOException {
        Path dataDir = Files.createTempDirectory(Files.createDirectories(workDir), "kafka-");
        int brokerPort = freeLoopbackPort();
        int controllerPort = freeLoopbackPort();
        Map<String, String> props = new TreeMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("log.dirs", dataDir.resolve("logs").toString());
        // Every internal topic must fit on one broker, or sinks see nothing.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");

        format(dataDir, props);
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        server.startup();
        String bootstrapServers = "127.0.0.1:" + brokerPort;
        LOG.info("Kafka broker started at {}, data in {}", bootstrapServers, dataDir);
        return new LocalKafkaBroker(server, bootstrapServers, dataDir);
    }

    /** Runs {@code kafka-storage.sh format} on the log directory, as a fresh installation needs. */
    private static void format(Path dataDir, Map<String, String> props) throws IOException {
        Path configFile = dataDir.resolve("server.properties");
        Properties properties = new Properties();
        properties.putAll(props);
        try (OutputStream out = Files.newOutputStream(configFile)) {
            properties.store(out, "DSSE local broker");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status = StorageTool$.MODULE$.execute(new String[] {
            "format", "--cluster-id", Uuid.randomUuid().toString(), "--config", configFile.toString()},
                new PrintStream(output, true, StandardCharsets.UTF_8));
        if (status != 0) {
            throw new IOException("Failed to format the Kafka log directory " + dataDir + " (status " + status + "): "
                    + output.toString(StandardCharsets.UTF_8));
        }
    }

    // NOTE: another process can take the port between this check and the broker's bind.
    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Creates a topic with replication factor 1 and waits until every partition has a leader,
     * because a producer that starts earlier can fail with OUT_OF_ORDER_SEQUENCE_NUMBER and lose
     * records.
     *
     * @throws IllegalStateException if the topic cannot be created or a partition has no leader
     *     after 60 s
     */
    public void createTopic(String topic, int partitions) throws InterruptedException {
        try (Admin admin = createAdminClient()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();

            long deadline = System.nanoTime() + TOPIC_READY_TIMEOUT.toNanos();
            while (!hasLeaders(admin, topic, partitions)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Topic " + topic + " has partitions without a leader after "
                            + TOPIC_READY_TIMEOUT.toSeconds() + " s");
                }
                Thread.sleep(POLL_INTERVAL.toMillis());
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Failed to create topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static boolean hasLeaders(Admin admin, String topic, int partitions) throws InterruptedException {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            return description.partitions().size() == partitions
                    && description.partitions().stream().allMatch(partition -> partition.leader() != null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw new IllegalStateException("Failed to describe topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Creates an Admin client for this broker. The caller closes it. */
    public Admin createAdminClient() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /**
     * Creates a producer of byte arrays for this broker with the Kafka client defaults, changed
     * by {@code overrides}. The caller closes it.
     */
    public KafkaProducer<byte[], byte[]> createProducer(Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>(overrides);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Reads at least {@code count} records from the beginning of every partition of the topics,
     * without a consumer group, and returns all records read.
     *
     * @throws IllegalStateException if fewer than {@code count} records arrive within {@code timeout}
     */
    public ConsumerRecords<byte[], byte[]> consume(int count, Duration timeout, String... topics) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> records = new HashMap<>();
        int read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                for (PartitionInfo info : consumer.partitionsFor(topic, timeout)) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);

            long deadline = System.nanoTime() + timeout.toNanos();
            while (read < count) {
                long remainingNanos = deadline - System.nanoTime();
                if (remainingNanos <= 0) {
                    throw new IllegalStateException("Timed out after " + timeout.toSeconds() + " s waiting for " + count
                            + " records from " + List.of(topics) + "; read " + read);
                }
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofNanos(remainingNanos));
                for (TopicPartition partition : batch.partitions()) {
                    records.computeIfAbsent(partition, key -> new ArrayList<>()).addAll(batch.records(partition));
                }
                read += batch.count();
            }
        }
        return new ConsumerRecords<>(records, Map.of());
    }

    /** Stops the server and deletes its data directory. Later calls do nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warn("Failed to delete the Kafka data directory {}: {}", dataDir, e.toString());
        }
        LOG.info("Kafka broker at {} stopped", bootstrapServers);
    }
}
