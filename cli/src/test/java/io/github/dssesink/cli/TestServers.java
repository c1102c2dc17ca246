package io.github.dssesink.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import com.adobe.testing.s3mock.S3MockApplication;
import io.github.dssesink.kmslocal.LocalKmsServer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Starts one in-process S3Mock and one local KMS server for all test classes of the JVM, both on
 * 127.0.0.1, and stops them when the test run ends. Every SDK client gets static credentials, an
 * explicit region and a loopback endpoint.
 */
public final class TestServers implements BeforeAllCallback {
    static final String REGION = "us-east-1";
    static final AwsCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIADSSECLITEST", "dsse-cli-test-secret"));

    private static Servers servers;

    /** The running servers and the clients that tests use to set up objects and keys. */
    record Servers(S3MockApplication s3Mock, LocalKmsServer kms, URI s3Endpoint, S3Client s3, KmsClient kmsClient, Path s3Root)
            implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws IOException {
            s3.close();
            kmsClient.close();
            kms.close();
            s3Mock.stop();
            try (Stream<Path> files = Files.walk(s3Root)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        servers();
        // The root store closes the servers once, after the last test class.
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(TestServers.class, key -> servers);
    }

    static synchronized Servers servers() {
        if (servers == null) {
            servers = start();
        }
        return servers;
    }

    private static Servers start() {
        Path root;
        try {
            root = Files.createTempDirectory("dsse-cli-s3mock");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // S3Mock removes entries from the map it is given, so it must be mutable.
        S3MockApplication s3Mock = S3MockApplication.start(new HashMap<>(Map.of(
                S3MockApplication.PROP_HTTP_PORT, 0,
                S3MockApplication.PROP_HTTPS_PORT, 0,
                "server.address", "127.0.0.1",
                "com.adobe.testing.s3mock.store.root", root.toString(),
                "com.adobe.testing.s3mock.store.retainFilesOnExit", false,
                S3MockApplication.PROP_SILENT, true)));
        URI s3Endpoint = URI.create("http://127.0.0.1:" + s3Mock.getHttpPort());
        LocalKmsServer kms = LocalKmsServer.start();
        S3Client s3 = S3Client.builder()
                .endpointOverride(s3Endpoint)
                .forcePathStyle(true)
                .region(Region.of(REGION))
                .credentialsProvider(CREDENTIALS)
                .build();
        KmsClient kmsClient = KmsClient.builder()
                .endpointOverride(kms.endpoint())
                .region(Region.of(REGION))
                .credentialsProvider(CREDENTIALS)
                .build();
        return new Servers(s3Mock, kms, s3Endpoint, s3, kmsClient, root);
    }
}
