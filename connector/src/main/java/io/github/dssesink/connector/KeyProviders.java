package io.github.dssesink.connector;

import java.nio.file.Path;
import java.util.Locale;

import io.github.dssesink.connector.config.DsseS3SinkConfig;
import io.github.dssesink.crypto.AwsKmsKeyProvider;
import io.github.dssesink.crypto.KeyProvider;
import io.github.dssesink.crypto.LocalKeyring;
import software.amazon.awssdk.services.kms.KmsClient;

/** Builds the key provider that {@code dsse.key.provider} names. */
final class KeyProviders {

    private KeyProviders() {
    }

    /** @param kms the client for aws-kms; unused for the local keyring */
    static KeyProvider create(DsseS3SinkConfig config, KmsClient kms) {
        String name = config.getString(DsseS3SinkConfig.KEY_PROVIDER).toLowerCase(Locale.ROOT);
        if (name.equals("local")) {
            return LocalKeyring.load(Path.of(config.getString(DsseS3SinkConfig.LOCAL_KEYRING_PATH)));
        }
        return new AwsKmsKeyProvider(kms);
    }
}
