package io.github.dssesink.demo;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A KRaft broker and one distributed Connect worker in this JVM, both listening on 127.0.0.1.
 * The worker loads connectors only from {@code plugin.path}; the demo talks to it through its
 * REST API, as a user would.
 */
final class LocalKafkaConnect implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaConnect.class);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);
    private static final Duration REST_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final LocalKafkaBroker broker;
    private final Connect<DistributedHerder> worker;
    private final URI restEndpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private LocalKafkaConnect(LocalKafkaBroker broker, Connect<DistributedHerder> worker) {
        this.broker = broker;
        this.worker = worker;
        this.restEndpoint = worker.rest().serverUrl();
    }

    /** Starts the broker and the worker; {@code pluginPath} is the directory that contains the unpacked plugin. */
    static LocalKafkaConnect start(Path pluginPath, Path workDir) throws IOException {
        LocalKafkaBroker broker = LocalKafkaBroker.start(workDir);
        try {
            Connect<DistributedHerder> worker = new ConnectDistributed().startConnect(workerProps(pluginPath, broker.bootstrapServers()));
            LocalKafkaConnect connect = new LocalKafkaConnect(broker, worker);
            LOG.info("Connect worker started at {} with plugin.path {}", connect.restEndpoint, pluginPath);
            return connect;
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    private static Map<String, String> workerProps(Path pluginPath, String bootstrapServers) {
        // A unique group and topics per worker, so that two demo runs in one JVM stay apart.
        String id = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", "dsse-demo-connect-" + id);
        props.put("config.storage.topic", "connect-configs-" + id);
        props.put("offset.storage.topic", "connect-offsets-" + id);
        props.put("status.storage.topic", "connect-status-" + id);
        props.put("config.storage.replication.factor", "1");
        props.put("offset.storage.replication.factor", "1");
        props.put("status.storage.replication.factor", "1");
        props.put("offset.storage.partitions", "5");
        props.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        props.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        props.put("listeners", "http://127.0.0.1:0");
        props.put("plugin.path", pluginPath.toAbsolutePath().toString());
        // Reads META-INF/services instead of scanning every jar on the class path and plugin.path.
        props.put("plugin.discovery", "service_load");
        // The sink reports only offsets of objects complete in S3; commit them every second.
        props.put("offset.flush.interval.ms", "1000");
        return props;
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    URI restEndpoint() {
        return restEndpoint;
    }

    /** Creates the topic and waits until every partition has a leader, so that no record is lost. */
    void createTopic(String topic, int partitions) throws InterruptedException, ExecutionException {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (producer.partitionsFor(topic).stream().anyMatch(info -> info.leader() == null)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Topic " + topic + " has partitions without a leader after 60 s");
                }
                Thread.sleep(POLL_INTERVAL.toMillis());
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
        try (KafkaProducer<byte[], byte[]> producer = producer(props)) {
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

    /** Creates or updates the connector with {@code PUT /connectors/<name>/config}. */
    void createConnector(String name, Map<String, String> config) throws IOException, InterruptedException {
        HttpResponse<String> response = send("PUT", "connectors/" + encode(name) + "/config", JSON.writeValueAsString(config));
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new IOException("Failed to create connector " + name + ": HTTP " + response.statusCode() + " " + response.body());
        }
    }

    /** Runs the connector's validation with {@code PUT /connector-plugins/<class>/config/validate}. */
    JsonNode validate(String connectorClass, Map<String, String> config) throws IOException, InterruptedException {
        Map<String, String> withClass = new HashMap<>(config);
        withClass.put("connector.class", connectorClass);
        HttpResponse<String> response = send("PUT", "connector-plugins/" + encode(connectorClass) + "/config/validate",
                JSON.writeValueAsString(withClass));
        if (response.statusCode() != 200) {
            throw new IOException("Failed to validate a " + connectorClass + " config: HTTP " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Sends a GET to the worker's REST API and returns the body as JSON. */
    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = send("GET", path, null);
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " failed: HTTP " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /**
     * Waits until the consumer group {@code connect-<name>} has committed the end offset of every
     * partition.
     *
     * @throws TimeoutException if that does not happen within {@code timeout}
     * @throws IllegalStateException if the connector or a task fails
     */
    void awaitCommitted(String connectorName, String topic, Map<Integer, Long> endOffsets, Duration timeout)
            throws TimeoutException, InterruptedException, ExecutionException, IOException {
        String groupId = "connect-" + connectorName;
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = admin()) {
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

    private void failIfConnectorFailed(String connectorName) throws IOException, InterruptedException {
        HttpResponse<String> response = send("GET", "connectors/" + encode(connectorName) + "/status", null);
        if (response.statusCode() == 404) {
            return;
        }
        JsonNode status = JSON.readTree(response.body());
        if ("FAILED".equals(status.path("connector").path("state").asText())) {
            throw new IllegalStateException("Connector " + connectorName + " failed: " + status.path("connector").path("trace").asText());
        }
        for (JsonNode task : status.path("tasks")) {
            if ("FAILED".equals(task.path("state").asText())) {
                throw new IllegalStateException("Task " + task.path("id").asInt() + " of connector " + connectorName + " failed: "
                        + task.path("trace").asText());
            }
        }
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(restEndpoint.resolve(path)).timeout(REST_TIMEOUT);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private KafkaProducer<byte[], byte[]> producer(Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>(overrides);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void close() {
        worker.stop();
        broker.close();
        LOG.info("Connect worker at {} stopped", restEndpoint);
    }
}
