package io.github.dssesink.connector;

import java.util.ArrayList;
import java.util.List;

import io.github.dssesink.connector.config.DsseS3SinkConfig;
import io.github.dssesink.connector.config.ServerSideEncryption;
import io.github.dssesink.crypto.AwsKmsKeyProvider;
import io.github.dssesink.crypto.EnvelopeException;
import io.github.dssesink.crypto.KeyProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Checks before writing that the bucket responds to HeadBucket and that every configured KMS key
 * (the server-side one and both layers') exists, is enabled and is a symmetric encryption key.
 * Each check is one call bounded by the clients' call timeout.
 */
final class Preflight {

    /** One failed check and the config key it belongs to. */
    record Problem(String configKey, String message) {
    }

    private Preflight() {
    }

    /**
     * @param layerKeys the client-side key provider, or null when client-side encryption is off
     * @param kms a KMS client for the server-side key, or null to skip that check
     */
    static List<Problem> run(DsseS3SinkConfig config, S3Client s3, KeyProvider layerKeys, KmsClient kms) {
        List<Problem> problems = new ArrayList<>();
        String bucket = config.getString(DsseS3SinkConfig.S3_BUCKET_NAME);
        try {
            s3.headBucket(r -> r.bucket(bucket));
        } catch (SdkException e) {
            problems.add(new Problem(DsseS3SinkConfig.S3_BUCKET_NAME, "HeadBucket of bucket '" + bucket + "' failed: "
                    + describe(e) + "; check the bucket name, s3.region, store.url and the credentials' s3:ListBucket permission"));
        }

        if (layerKeys != null) {
            for (String keyId : config.allLayerKeyIds()) {
                String configKey = keyId.equals(config.getString(DsseS3SinkConfig.LAYER1_KMS_KEY_ID)) ? DsseS3SinkConfig.LAYER1_KMS_KEY_ID
                        : keyId.equals(config.getString(DsseS3SinkConfig.LAYER2_KMS_KEY_ID)) ? DsseS3SinkConfig.LAYER2_KMS_KEY_ID
                        : DsseS3SinkConfig.TOPIC_KEY_OVERRIDES;
                checkKey(layerKeys, keyId, configKey, problems);
            }
        }

        ServerSideEncryption sse = config.serverSideEncryption();
        if (kms != null && sse.kmsKeyId() != null) {
            checkKey(new AwsKmsKeyProvider(kms), sse.kmsKeyId(), DsseS3SinkConfig.S3_SSE_KMS_KEY_ID, problems);
        }
        return problems;
    }

    private static void checkKey(KeyProvider provider, String keyId, String configKey, List<Problem> problems) {
        try {
            KeyProvider.KeyDescription description = provider.describeKey(keyId);
            if (!description.enabled()) {
                problems.add(new Problem(configKey, "KMS key '" + keyId + "' of " + configKey + " is not enabled (state "
                        + description.state() + "); enable it or configure another key"));
            } else if (!description.symmetricEncryptDecrypt()) {
                problems.add(new Problem(configKey, "KMS key '" + keyId + "' of " + configKey
                        + " is not a symmetric ENCRYPT_DECRYPT key, which S3 and data key generation need; configure a SYMMETRIC_DEFAULT key"));
            }
        } catch (EnvelopeException e) {
            problems.add(new Problem(configKey, "DescribeKey of KMS key '" + keyId + "' of " + configKey + " failed ("
                    + e.reason() + "): " + e.getMessage()));
        } catch (SdkException e) {
            problems.add(new Problem(configKey, "DescribeKey of KMS key '" + keyId + "' of " + configKey + " failed: " + describe(e)));
        }
    }

    private static String describe(SdkException e) {
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            return service.statusCode() + (code == null ? "" : " " + code);
        }
        return e.getMessage();
    }
}
