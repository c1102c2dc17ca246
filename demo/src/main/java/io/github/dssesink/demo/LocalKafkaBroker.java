package io.github.dssesink.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool$;

/**
 * One Kafka broker in KRaft mode (broker and controller in one node) in this JVM, with both
 * listeners on 127.0.0.1. Kafka's test harness pre-binds its ports on every interface, so the
 * demo starts the server itself, the way {@code kafka-storage.sh format} and
 * {@code kafka-server-start.sh} would.
 */
final class LocalKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;

    private LocalKafkaBroker(KafkaRaftServer server, String bootstrapServers, Path dataDir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
    }

    /** Formats a fresh log directory under {@code workDir} and starts the server. */
    static LocalKafkaBroker start(Path workDir) throws IOException {
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
        // One broker: every internal topic must fit on it, or sinks see nothing.
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
            properties.store(out, "DSSE demo broker");
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

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
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
