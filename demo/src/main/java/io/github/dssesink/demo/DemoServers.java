package io.github.dssesink.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.github.dssesink.kafkalocal.LocalKafkaConnect;
import io.github.dssesink.kmslocal.LocalKmsServer;
import io.github.dssesink.s3local.LocalS3Server;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The loopback servers of a demo run (Kafka with a Connect worker, S3Mock and the local KMS), the
 * KMS keys the demo created, and S3 and KMS clients for the endpoints. The bucket
 * {@link DemoMain#BUCKET} exists.
 */
record DemoServers(LocalKafkaConnect connect, LocalS3Server s3Mock, LocalKmsServer kms, S3Client s3, KmsClient kmsClient,
                   DemoMain.DemoKeys keys) implements AutoCloseable {

    /**
     * Starts the servers. The KMS keys are created first because S3Mock accepts an {@code aws:kms}
     * key only if it was given the key's ARN at start.
     *
     * @param pluginPath     the worker's plugin.path
     * @param workDir        the directory for the Kafka and Connect data
     * @param s3MockLifetime the time after which S3Mock stops by itself
     */
    static DemoServers start(Path pluginPath, Path workDir, Duration s3MockLifetime) throws IOException {
        Files.createDirectories(workDir);
        LocalKmsServer kms = LocalKmsServer.start();
        KmsClient kmsClient = null;
        LocalS3Server s3Mock = null;
        S3Client s3 = null;
        try {
            DemoMain.DemoKeys keys = DemoMain.DemoKeys.create(kms);
            kmsClient = DemoMain.kmsClient(kms.endpoint());
            s3Mock = LocalS3Server.start(0, s3MockLifetime, List.of(keys.serverSideArn()));
            s3 = DemoMain.s3Client(s3Mock.endpoint());
            s3.createBucket(request -> request.bucket(DemoMain.BUCKET));
            LocalKafkaConnect connect = DemoMain.startKafkaConnect(pluginPath, workDir);
            return new DemoServers(connect, s3Mock, kms, s3, kmsClient, keys);
        } catch (IOException | RuntimeException e) {
            closeAll(s3, s3Mock, kmsClient, kms);
            throw e;
        }
    }

    @Override
    public void close() {
        closeAll(connect, s3, s3Mock, kmsClient, kms);
    }

    /** Closes each resource that is not null, in order, even if an earlier one fails. */
    private static void closeAll(AutoCloseable... resources) {
        RuntimeException failure = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("Stopping the demo's servers failed: " + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
