package io.github.dssesink.connector.storage;

import java.net.URI;
import java.time.Duration;

import org.apache.kafka.common.config.types.Password;

import io.github.dssesink.connector.config.DsseS3SinkConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds the S3 and KMS clients from the connector config: static credentials when
 * {@code aws.access.key.id} is set, otherwise the SDK's default chain; the SDK's standard retry
 * strategy (exponential backoff with jitter for throttling, 5xx and network errors) with
 * {@code s3.retry.max.attempts}; and a time limit per call.
 */
public final class AwsClients {

    private AwsClients() {
    }

    public static S3Client s3(DsseS3SinkConfig config) {
        var builder = S3Client.builder()
                .region(Region.of(config.getString(DsseS3SinkConfig.S3_REGION)))
                .credentialsProvider(credentials(config))
                .forcePathStyle(config.getBoolean(DsseS3SinkConfig.S3_PATH_STYLE_ACCESS_ENABLED))
                .overrideConfiguration(overrides(config));
        String storeUrl = config.getString(DsseS3SinkConfig.STORE_URL);
        if (storeUrl != null && !storeUrl.isBlank()) {
            builder.endpointOverride(URI.create(storeUrl.trim()));
        }
        return builder.build();
    }

    public static KmsClient kms(DsseS3SinkConfig config) {
        String region = config.getString(DsseS3SinkConfig.KMS_REGION);
        var builder = KmsClient.builder()
                .region(Region.of(region.isBlank() ? config.getString(DsseS3SinkConfig.S3_REGION) : region.trim()))
                .credentialsProvider(credentials(config))
                .overrideConfiguration(overrides(config));
        String endpoint = config.getString(DsseS3SinkConfig.KMS_ENDPOINT);
        if (!endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint.trim()));
        }
        return builder.build();
    }

    private static ClientOverrideConfiguration overrides(DsseS3SinkConfig config) {
        int maxAttempts = config.getInt(DsseS3SinkConfig.S3_RETRY_MAX_ATTEMPTS);
        return ClientOverrideConfiguration.builder()
                .retryStrategy(strategy -> strategy.maxAttempts(maxAttempts))
                .apiCallTimeout(Duration.ofMillis(config.getLong(DsseS3SinkConfig.S3_API_CALL_TIMEOUT_MS)))
                .build();
    }

    private static AwsCredentialsProvider credentials(DsseS3SinkConfig config) {
        String accessKeyId = config.getString(DsseS3SinkConfig.AWS_ACCESS_KEY_ID);
        Password secret = config.getPassword(DsseS3SinkConfig.AWS_SECRET_ACCESS_KEY);
        if (accessKeyId != null && !accessKeyId.isBlank() && secret != null) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId.trim(), secret.value()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
