package io.github.dssesink.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

import io.github.dssesink.connector.config.DsseS3SinkConfig;

/** Calls {@link DsseS3SinkConnector#validate} directly, with preflight against S3Mock and the local KMS server. */
class ConnectorValidateTest {

    private final TestEnvironment env = TestEnvironment.get();

    @Test
    void validConfigHasNoErrors() {
        String bucket = env.createBucket("validate-ok");
        assertEquals(Map.of(), errors(env.sinkConfig(bucket)));
    }

    @Test
    void eachRuleNamesItsKey() {
        String bucket = env.createBucket("validate-rules");
        Map<String, Map<String, String>> cases = new HashMap<>();
        cases.put(DsseS3SinkConfig.S3_BUCKET_KEY_ENABLED, Map.of(DsseS3SinkConfig.S3_BUCKET_KEY_ENABLED, "true"));
        cases.put(DsseS3SinkConfig.S3_SSE_CUSTOMER_KEY, Map.of(DsseS3SinkConfig.S3_SSE_CUSTOMER_KEY,
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
        cases.put(DsseS3SinkConfig.S3_SSE_KMS_KEY_ID, Map.of(DsseS3SinkConfig.S3_SSEA_NAME, "AES256"));
        cases.put(DsseS3SinkConfig.PATH_FORMAT, Map.of(DsseS3SinkConfig.PARTITIONER_CLASS, "time",
                DsseS3SinkConfig.PARTITION_DURATION_MS, "3600000", DsseS3SinkConfig.PATH_FORMAT, "'year'=YYYY/{bad}"));
        cases.put(DsseS3SinkConfig.FORMAT_CLASS, Map.of(DsseS3SinkConfig.FORMAT_CLASS, "com.example.ParquetFormat"));
        cases.put(DsseS3SinkConfig.PARTITIONER_CLASS, Map.of(DsseS3SinkConfig.PARTITIONER_CLASS, "com.example.Nope"));
        cases.put(DsseS3SinkConfig.S3_PART_SIZE, Map.of(DsseS3SinkConfig.S3_PART_SIZE, "1048576"));
        cases.put(DsseS3SinkConfig.LAYER2_KMS_KEY_ID, Map.of(DsseS3SinkConfig.LAYER2_KMS_KEY_ID, ""));
        cases.put(DsseS3SinkConfig.S3_COMPRESSION_TYPE, Map.of(DsseS3SinkConfig.FORMAT_CLASS, "avro",
                DsseS3SinkConfig.S3_COMPRESSION_TYPE, "gzip"));
        for (Map.Entry<String, Map<String, String>> entry : cases.entrySet()) {
            Map<String, String> config = env.sinkConfig(bucket);
            config.putAll(entry.getValue());
            Map<String, List<String>> errors = errors(config);
            assertTrue(errors.containsKey(entry.getKey()), entry.getKey() + " not named in " + errors);
        }
    }

    @Test
    void preflightNamesMissingBucketAndBadKeys() {
        String bucket = env.createBucket("validate-preflight");
        String disabledKey = env.kms.createKey("disabled").keyId();
        env.kms.disableKey(disabledKey);

        Map<String, String> missingBucket = env.sinkConfig("validate-no-such-bucket");
        assertTrue(errors(missingBucket).containsKey(DsseS3SinkConfig.S3_BUCKET_NAME));

        Map<String, String> badKeys = env.sinkConfig(bucket);
        badKeys.put(DsseS3SinkConfig.LAYER1_KMS_KEY_ID, "11111111-2222-3333-4444-555555555555");
        badKeys.put(DsseS3SinkConfig.LAYER2_KMS_KEY_ID, disabledKey);
        Map<String, List<String>> errors = errors(badKeys);
        assertTrue(errors.get(DsseS3SinkConfig.LAYER1_KMS_KEY_ID).get(0).contains("KEY_NOT_FOUND"), errors.toString());
        assertTrue(errors.get(DsseS3SinkConfig.LAYER2_KMS_KEY_ID).get(0).contains(disabledKey), errors.toString());

        Map<String, String> badSseKey = env.sinkConfig(bucket);
        badSseKey.put(DsseS3SinkConfig.S3_SSE_KMS_KEY_ID, disabledKey);
        assertTrue(errors(badSseKey).containsKey(DsseS3SinkConfig.S3_SSE_KMS_KEY_ID));
    }

    private static Map<String, List<String>> errors(Map<String, String> config) {
        return new DsseS3SinkConnector().validate(config).configValues().stream()
                .filter(value -> !value.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }
}
