package io.github.dssesink.connector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.dssesink.connector.config.DsseS3SinkConfig;
import io.github.dssesink.connector.config.ServerSideEncryption;
import io.github.dssesink.connector.storage.AwsClients;
import io.github.dssesink.crypto.KeyProvider;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A sink connector that writes Kafka records to S3 objects encrypted with two client-side
 * AES-256-GCM layers and uploaded with DSSE-KMS headers. {@link #validate} checks single keys,
 * the rules that join keys, and (unless {@code dsse.preflight.enabled=false}) the bucket and KMS keys.
 */
public class DsseS3SinkConnector extends SinkConnector {

    /** Preflight calls from validate() must return quickly, because the REST request waits for them. */
    private static final long PREFLIGHT_CALL_TIMEOUT_MS = 10_000;
    private static final int PREFLIGHT_MAX_ATTEMPTS = 2;

    private static final Logger log = LoggerFactory.getLogger(DsseS3SinkConnector.class);

    private Map<String, String> props;

    @Override
    public String version() {
        return Version.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        DsseS3SinkConfig config;
        try {
            config = new DsseS3SinkConfig(props);
        } catch (ConfigException e) {
            throw new ConnectException("Invalid configuration of the DSSE S3 sink: " + e.getMessage(), e);
        }
        this.props = Map.copyOf(props);
        ServerSideEncryption sse = config.serverSideEncryption();
        if (sse.mode().usesKms() && sse.kmsKeyId() == null) {
            log.info("{} is {} without {}, so S3 encrypts with the AWS managed key aws/s3", DsseS3SinkConfig.S3_SSEA_NAME,
                    sse.mode().headerValue(), DsseS3SinkConfig.S3_SSE_KMS_KEY_ID);
        }
    }

    @Override
    public Class<? extends Task> taskClass() {
        return DsseS3SinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int task = 0; task < maxTasks; task++) {
            Map<String, String> taskProps = new HashMap<>(props);
            taskProps.put(DsseS3SinkTask.TASK_ID, Integer.toString(task));
            configs.add(taskProps);
        }
        return configs;
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return DsseS3SinkConfig.CONFIG_DEF;
    }

    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        Map<String, ConfigValue> values = new HashMap<>();
        result.configValues().forEach(value -> values.put(value.name(), value));
        if (hasErrors(result)) {
            return result;
        }

        AbstractConfig parsed = new AbstractConfig(DsseS3SinkConfig.CONFIG_DEF, connectorConfigs, false);
        DsseS3SinkConfig.crossCheck(parsed, (key, message) -> values.get(key).addErrorMessage(message));
        if (hasErrors(result) || !parsed.getBoolean(DsseS3SinkConfig.PREFLIGHT_ENABLED)) {
            return result;
        }

        for (Preflight.Problem problem : preflight(connectorConfigs)) {
            values.get(problem.configKey()).addErrorMessage(problem.message());
        }
        return result;
    }

    private static List<Preflight.Problem> preflight(Map<String, String> connectorConfigs) {
        Map<String, String> bounded = new HashMap<>(connectorConfigs);
        long timeout = Math.min(PREFLIGHT_CALL_TIMEOUT_MS,
                Long.parseLong(connectorConfigs.getOrDefault(DsseS3SinkConfig.S3_API_CALL_TIMEOUT_MS, "120000").trim()));
        bounded.put(DsseS3SinkConfig.S3_API_CALL_TIMEOUT_MS, Long.toString(timeout));
        bounded.put(DsseS3SinkConfig.S3_RETRY_MAX_ATTEMPTS, Integer.toString(PREFLIGHT_MAX_ATTEMPTS));
        DsseS3SinkConfig config = new DsseS3SinkConfig(bounded);
        boolean clientEncryption = config.getBoolean(DsseS3SinkConfig.CLIENT_ENCRYPTION_ENABLED);
        boolean needsKms = clientEncryption || config.serverSideEncryption().kmsKeyId() != null;
        try (S3Client s3 = AwsClients.s3(config); KmsClient kms = needsKms ? AwsClients.kms(config) : null) {
            KeyProvider keyProvider;
            try {
                keyProvider = clientEncryption ? KeyProviders.create(config, kms) : null;
            } catch (RuntimeException e) {
                return List.of(new Preflight.Problem(DsseS3SinkConfig.KEY_PROVIDER,
                        "Could not create the key provider: " + e.getMessage()));
            }
            return Preflight.run(config, s3, keyProvider, kms);
        }
    }

    private static boolean hasErrors(Config config) {
        return config.configValues().stream().anyMatch(value -> !value.errorMessages().isEmpty());
    }
}
