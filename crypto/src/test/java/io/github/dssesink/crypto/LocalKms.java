package io.github.dssesink.crypto;

import io.github.dssesink.kmslocal.LocalKmsServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/** A local KMS server on 127.0.0.1 and a real SDK client pointed at it, with static test credentials. */
final class LocalKms implements AutoCloseable {
    final LocalKmsServer server = LocalKmsServer.start();
    final KmsClient client = KmsClient.builder()
            .endpointOverride(server.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test-access-key", "test-secret-key")))
            .build();
    final AwsKmsKeyProvider provider = new AwsKmsKeyProvider(client);

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
