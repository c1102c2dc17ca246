package io.github.dssesink.kafkalocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Listening sockets, REST operations and clients of the broker and worker in this JVM. */
class LocalKafkaConnectTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String IPV4_LOOPBACK = "0100007F";
    private static final String IPV6_LOOPBACK = "00000000000000000000000001000000";
    private static final String IPV4_MAPPED_LOOPBACK = "0000000000000000FFFF00000100007F";

    private static LocalKafkaConnect connect;

    @BeforeAll
    static void start() throws IOException {
        connect = LocalKafkaConnect.builder()
                .workDir(Path.of("target", "kafka-local-test"))
                .workerProperties(Map.of("offset.flush.interval.ms", "500"))
                .start();
    }

    @AfterAll
    static void stop() {
        connect.close();
    }

    @Test
    void listensOnLoopbackOnly() throws IOException {
        List<String> addresses = listeningAddresses();
        Set<Integer> ports = new HashSet<>();
        for (String socket : addresses) {
            String address = socket.substring(0, socket.indexOf(':'));
            assertTrue(address.equals(IPV4_LOOPBACK) || address.equals(IPV6_LOOPBACK) || address.equals(IPV4_MAPPED_LOOPBACK),
                    "socket bound to " + socket + ", expected 127.0.0.1 or ::1; all: " + addresses);
            ports.add(Integer.parseInt(socket.substring(socket.indexOf(':') + 1), 16));
        }

        // The broker, controller and REST listeners at least, so the check above saw the servers.
        assertTrue(addresses.size() >= 3, "listening sockets: " + addresses);
        int brokerPort = Integer.parseInt(connect.bootstrapServers().substring(connect.bootstrapServers().lastIndexOf(':') + 1));
        assertTrue(ports.contains(brokerPort), "broker port " + brokerPort + " not in " + addresses);
        int restPort = connect.restEndpoint().getPort();
        assertTrue(ports.contains(restPort), "REST port " + restPort + " not in " + addresses);
    }

    @Test
    void connectorSurvivesRestarts() throws Exception {
        String topic = "lifecycle";
        String connector = "lifecycle-sink";
        connect.kafka().createTopic(topic, 2);
        produce(topic, 0, 3);
        produce(topic, 1, 2);

        connect.configureConnector(connector, sinkConfig(topic));
        connect.awaitCommitted(connector, topic, Map.of(0, 3L, 1, 2L), TIMEOUT);
        awaitRunning(connector);

        connect.restartConnectorAndTasks(connector, false, true);
        awaitRunning(connector);

        String firstEndpoint = connect.restEndpoint().toString();
        connect.stopWorker();
        assertThrows(IllegalStateException.class, () -> connect.connectorStatus(connector));
        connect.startWorker();
        assertNotEquals(firstEndpoint, connect.restEndpoint().toString());
        produce(topic, 0, 4);
        connect.awaitCommitted(connector, topic, Map.of(0, 7L, 1, 2L), TIMEOUT);
        awaitRunning(connector);

        connect.deleteConnector(connector);
        // The worker removes the status after DELETE returns, when it reads the deletion back from the config topic.
        awaitStatusCode(connector, 404);
        WorkerRestException missing = assertThrows(WorkerRestException.class, () -> connect.connectorStatus(connector));
        assertEquals(404, missing.statusCode());
    }

    @Test
    void validateNamesMissingSetting() {
        Map<String, String> config = sinkConfig("validate");
        config.remove(RequiredSettingSinkConnector.REQUIRED_SETTING);

        ConfigInfos result = connect.validateConnectorConfig(RequiredSettingSinkConnector.class.getSimpleName(), config);

        Map<String, List<String>> errors = new HashMap<>();
        for (ConfigInfo info : result.configs()) {
            if (!info.configValue().errors().isEmpty()) {
                errors.put(info.configValue().name(), info.configValue().errors());
            }
        }
        assertEquals(Set.of(RequiredSettingSinkConnector.REQUIRED_SETTING), errors.keySet(), errors.toString());
        assertEquals(1, result.errorCount());
    }

    @Test
    void consumeReadsFromBeginning() throws Exception {
        String topic = "consume";
        connect.kafka().createTopic(topic, 1);
        produce(topic, 0, 3);

        ConsumerRecords<byte[], byte[]> records = connect.kafka().consume(3, TIMEOUT, topic);

        List<String> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            values.add(new String(record.value(), StandardCharsets.UTF_8));
        }
        assertEquals(List.of("value-0", "value-1", "value-2"), values);
        assertThrows(IllegalStateException.class, () -> connect.kafka().consume(4, Duration.ofSeconds(2), topic));
    }

    @Test
    void getListsClassPathConnector() {
        List<String> classes = new ArrayList<>();
        connect.get("connector-plugins").forEach(plugin -> classes.add(plugin.path("class").asText()));
        assertTrue(classes.contains(RequiredSettingSinkConnector.class.getName()), classes.toString());
    }

    private static Map<String, String> sinkConfig(String topic) {
        Map<String, String> config = new HashMap<>();
        config.put("name", topic + "-sink");
        config.put("connector.class", RequiredSettingSinkConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("topics", topic);
        config.put(RequiredSettingSinkConnector.REQUIRED_SETTING, "set");
        return config;
    }

    /** Produces {@code count} records to one partition and waits for every acknowledgement. */
    private static void produce(String topic, int partition, int count) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, partition, null, ("value-" + i).getBytes(StandardCharsets.UTF_8)))
                        .get(TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }
    }

    private static void awaitRunning(String connector) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            ConnectorStateInfo status = connect.connectorStatus(connector);
            boolean running = status.connector().state().equals("RUNNING") && !status.tasks().isEmpty()
                    && status.tasks().stream().allMatch(task -> task.state().equals("RUNNING"));
            if (running) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + TIMEOUT.toSeconds() + " s waiting for connector " + connector + " to run, status " + status);
            }
            Thread.sleep(100);
        }
    }

    private static void awaitStatusCode(String connector, int statusCode) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                connect.connectorStatus(connector);
            } catch (WorkerRestException e) {
                if (e.statusCode() == statusCode) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + TIMEOUT.toSeconds() + " s waiting for HTTP " + statusCode + " from the status of " + connector);
            }
            Thread.sleep(100);
        }
    }

    /** Returns the local address:port pairs (hex, as the kernel prints them) of this process's listening TCP sockets. */
    private static List<String> listeningAddresses() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // The descriptor closed while listing.
                }
            });
        }
        List<String> addresses = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            for (String line : Files.readAllLines(Path.of("/proc/self/net", table))) {
                String[] fields = line.trim().split("\\s+");
                // Field 3 is the state, where 0A is LISTEN, and field 9 is the socket's inode.
                if (fields.length > 9 && fields[3].equals("0A") && inodes.contains(fields[9])) {
                    addresses.add(fields[1]);
                }
            }
        }
        return addresses;
    }
}
