package io.github.dssesink.kafkalocal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A KRaft broker and one distributed Connect worker in this JVM, both listening on 127.0.0.1
 * only. Callers manage connectors through the worker's REST API, as a user would, and reach the
 * broker through {@link #kafka()}.
 *
 * <p>The REST methods throw {@link WorkerRestException} when the worker returns an error status,
 * {@link UncheckedIOException} when the request fails, and {@link IllegalStateException} when the
 * calling thread is interrupted, so that they can run inside polling conditions.
 */
public final class LocalKafkaConnect implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaConnect.class);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final Duration REST_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration WORKER_READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration WORKER_STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final LocalKafkaBroker broker;
    private final Map<String, String> workerProps;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private Connect<DistributedHerder> worker;
    private URI restEndpoint;

    private LocalKafkaConnect(LocalKafkaBroker broker, Map<String, String> workerProps) {
        this.broker = broker;
        this.workerProps = workerProps;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options for {@link LocalKafkaConnect}, which are a work directory, an optional plugin path and worker properties. */
    public static final class Builder {
        private Path workDir;
        private Path pluginPath;
        private final Map<String, String> workerProps = new HashMap<>();

        private Builder() {
        }

        /** Sets the directory in which the broker creates its data directory, {@code java.io.tmpdir} by default. */
        public Builder workDir(Path workDir) {
            this.workDir = workDir;
            return this;
        }

        /**
         * Sets the worker's {@code plugin.path}, the directory that contains unpacked plugins.
         * Without it, the worker loads connectors from the class path.
         */
        public Builder pluginPath(Path pluginPath) {
            this.pluginPath = pluginPath;
            return this;
        }

        /** Adds worker properties, which replace the defaults of the same name. */
        public Builder workerProperties(Map<String, String> properties) {
            workerProps.putAll(properties);
            return this;
        }

        /** Starts the broker, then the worker, and waits until the worker's REST API reports it ready. */
        public LocalKafkaConnect start() throws IOException {
            Path brokerDir = workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir"));
            LocalKafkaBroker broker = LocalKafkaBroker.start(brokerDir);
            try {
                Map<String, String> props = defaultWorkerProps(broker.bootstrapServers());
                if (pluginPath != null) {
                    props.put("plugin.path", pluginPath.toAbsolutePath().toString());
                }
                props.putAll(workerProps);
                LocalKafkaConnect connect = new LocalKafkaConnect(broker, Map.copyOf(props));
                connect.startWorker();
                return connect;
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
        }
    }

    private static Map<String, String> defaultWorkerProps(String bootstrapServers) {
        // A unique group and topics per worker, so that two workers on one broker stay apart.
        String id = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", "dsse-local-connect-" + id);
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
        // Reads META-INF/services instead of scanning every jar on the class path and plugin.path.
        props.put("plugin.discovery", "service_load");
        return props;
    }

    /**
     * Starts a worker with this instance's properties after {@link #stopWorker()}. It joins the
     * same group and reads the same config, offset and status topics, so it resumes the
     * connectors. The REST endpoint gets a new port.
     */
    public synchronized void startWorker() {
        if (worker != null) {
            throw new IllegalStateException("The Connect worker at " + restEndpoint + " is already running");
        }
        worker = new ConnectDistributed().startConnect(workerProps);
        restEndpoint = worker.rest().serverUrl();
        awaitWorkerReady();
        LOG.info("Connect worker started at {} with plugin.path {}", restEndpoint, workerProps.getOrDefault("plugin.path", "(none)"));
    }

    /** Stops the worker and leaves the broker running; {@link #startWorker()} starts it again. */
    public synchronized void stopWorker() {
        if (worker == null) {
            return;
        }
        worker.stop();
        // Connect's own JVM shutdown hook may be stopping the worker already, and then stop()
        // returns at once. Waiting for the herder's run loop keeps the broker up until the
        // worker no longer needs it.
        try {
            worker.herderTask().get(WORKER_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("The Connect worker at {} did not stop cleanly within {} s: {}", restEndpoint, WORKER_STOP_TIMEOUT.toSeconds(),
                    e.toString());
        }
        LOG.info("Connect worker at {} stopped", restEndpoint);
        worker = null;
    }

    /** Polls {@code GET /health} until it returns 200, because requests fail while the worker joins its group. */
    private void awaitWorkerReady() {
        long deadline = System.nanoTime() + WORKER_READY_TIMEOUT.toNanos();
        HttpResponse<String> response = send("GET", "health", null);
        while (response.statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Timed out after " + WORKER_READY_TIMEOUT.toSeconds() + " s waiting for the Connect worker at "
                        + restEndpoint + " to become ready: HTTP " + response.statusCode() + " " + response.body());
            }
            sleep(POLL_INTERVAL);
            response = send("GET", "health", null);
        }
    }

    /** Returns the broker that the worker uses. */
    public LocalKafkaBroker kafka() {
        return broker;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public synchronized URI restEndpoint() {
        return restEndpoint;
    }

    /** Creates or updates a connector with {@code PUT /connectors/<name>/config}. */
    public void configureConnector(String name, Map<String, String> config) {
        HttpResponse<String> response = send("PUT", "connectors/" + encode(name) + "/config", toJson(config));
        requireSuccess(response, "configure connector " + name);
    }

    /** Deletes a connector with {@code DELETE /connectors/<name>}. */
    public void deleteConnector(String name) {
        requireSuccess(send("DELETE", "connectors/" + encode(name), null), "delete connector " + name);
    }

    /** Reads a connector's state and its tasks' states with {@code GET /connectors/<name>/status}. */
    public ConnectorStateInfo connectorStatus(String name) {
        HttpResponse<String> response = send("GET", "connectors/" + encode(name) + "/status", null);
        requireSuccess(response, "read the status of connector " + name);
        return fromJson(response.body(), ConnectorStateInfo.class);
    }

    /**
     * Restarts a connector with {@code POST /connectors/<name>/restart}, and its tasks when
     * {@code includeTasks} is true. With {@code onlyFailed}, it restarts only the instances that failed.
     */
    public void restartConnectorAndTasks(String name, boolean onlyFailed, boolean includeTasks) {
        String path = "connectors/" + encode(name) + "/restart?includeTasks=" + includeTasks + "&onlyFailed=" + onlyFailed;
        requireSuccess(send("POST", path, null), "restart connector " + name);
    }

    /**
     * Validates a connector config with {@code PUT /connector-plugins/<class>/config/validate}.
     * {@code connectorClass} is the class name or an alias, such as the simple name.
     */
    public ConfigInfos validateConnectorConfig(String connectorClass, Map<String, String> config) {
        Map<String, String> withClass = new HashMap<>(config);
        withClass.put("connector.class", connectorClass);
        HttpResponse<String> response = send("PUT", "connector-plugins/" + encode(connectorClass) + "/config/validate",
                toJson(withClass));
        requireSuccess(response, "validate a " + connectorClass + " config");
        return fromJson(response.body(), ConfigInfos.class);
    }

    /** Sends a GET to the worker's REST API, for example {@code connector-plugins}, and returns the body as JSON. */
    public JsonNode get(String path) {
        HttpResponse<String> response = send("GET", path, null);
        requireSuccess(response, "GET " + path);
        return fromJson(response.body(), JsonNode.class);
    }

    /**
     * Waits until the consumer group {@code connect-<name>} has committed the end offset of every
     * partition in {@code endOffsets}.
     *
     * @throws TimeoutException if that does not happen within {@code timeout}
     * @throws IllegalStateException if the connector or a task fails
     */
    public void awaitCommitted(String connectorName, String topic, Map<Integer, Long> endOffsets, Duration timeout)
            throws TimeoutException, InterruptedException, ExecutionException {
        String groupId = "connect-" + connectorName;
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = broker.createAdminClient()) {
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
                    throw new TimeoutException("Timed out after " + timeout.toSeconds() + " s: consumer group " + groupId + " is still "
                            + behind + " records behind the end offsets, committed offsets " + committed);
                }
                Thread.sleep(POLL_INTERVAL.toMillis());
            }
        }
    }

    private void failIfConnectorFailed(String connectorName) {
        HttpResponse<String> response = send("GET", "connectors/" + encode(connectorName) + "/status", null);
        if (response.statusCode() == 404) {
            return;
        }
        JsonNode status = fromJson(response.body(), JsonNode.class);
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

    /**
     * Sends a request and returns the response. A 409 status means that the worker's group is
     * rebalancing or has no leader yet, so the request is sent again until the REST timeout ends.
     */
    private HttpResponse<String> send(String method, String path, String body) {
        URI endpoint;
        synchronized (this) {
            if (worker == null) {
                throw new IllegalStateException("The Connect worker is stopped; start it with startWorker()");
            }
            endpoint = restEndpoint;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(REST_TIMEOUT);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }

        long deadline = System.nanoTime() + REST_TIMEOUT.toNanos();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            while (response.statusCode() == 409 && System.nanoTime() < deadline) {
                LOG.debug("{} {} returned 409, sending it again: {}", method, path, response.body());
                sleep(POLL_INTERVAL);
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + endpoint.resolve(path) + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + method + " " + path, e);
        }
    }

    private static void requireSuccess(HttpResponse<String> response, String action) {
        if (response.statusCode() >= 300) {
            throw new WorkerRestException(response.statusCode(),
                    "Failed to " + action + ": HTTP " + response.statusCode() + " " + response.body());
        }
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T fromJson(String body, Class<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw new UncheckedIOException("Invalid " + type.getSimpleName() + " JSON from the Connect worker: " + body, e);
        }
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Connect worker", e);
        }
    }

    /** Stops the worker, then the broker. Later calls do nothing. */
    @Override
    public void close() {
        stopWorker();
        broker.close();
    }
}
