package io.github.dssesink.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.github.dssesink.kafkalocal.LocalKafkaConnect;
import io.github.dssesink.kmslocal.LocalKmsServer;
import io.github.dssesink.s3local.LocalS3Server;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One Kafka broker and Connect worker (loading the plugin from plugin.path), one S3Mock process
 * that accepts the demo's server-side KMS key, and one local KMS, all on loopback. The test
 * classes of this JVM share them, and they stop after the last one.
 */
final class TestServers implements BeforeAllCallback {

    static final Path PLUGIN_PATH = Path.of(System.getProperty("dsse.demo.plugin.path", "target/plugins"));
    static final Path PROJECT_ROOT = Path.of(System.getProperty("dsse.demo.project.root", "..")).normalize();

    private static Servers servers;

    /** The running servers, the demo's keys and an S3 client on the loopback endpoint. */
    record Servers(DemoServers demo) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            demo.close();
        }

        LocalKafkaConnect connect() {
            return demo.connect();
        }

        LocalS3Server s3Mock() {
            return demo.s3Mock();
        }

        LocalKmsServer kms() {
            return demo.kms();
        }

        S3Client s3() {
            return demo.s3();
        }

        DemoMain.DemoKeys keys() {
            return demo.keys();
        }

        /** Returns the values the demo puts into config placeholders, for these servers. */
        Map<String, String> placeholders(String topic) {
            return Map.of(
                    "TOPICS", topic,
                    "TOPICS_DIR", "topics",
                    "S3_BUCKET", DemoMain.BUCKET,
                    "S3_REGION", DemoMain.REGION,
                    "AWS_ACCOUNT_ID", LocalKmsServer.DEFAULT_ACCOUNT_ID,
                    "SSE_KMS_KEY_ID", keys().serverSide(),
                    "LAYER1_KMS_KEY_ID", keys().layer1(),
                    "LAYER2_KMS_KEY_ID", keys().layer2(),
                    "SSE_CUSTOMER_KEY", keys().customerKey(),
                    "KAFKA_BOOTSTRAP_SERVERS", connect().bootstrapServers());
        }

        /** Returns the settings that point a connector at these loopback servers. */
        Map<String, String> loopbackOverrides() {
            return Map.of(
                    "store.url", s3Mock().endpoint().toString(),
                    "s3.path.style.access.enabled", "true",
                    "dsse.kms.endpoint", kms().endpoint().toString(),
                    "aws.access.key.id", DemoMain.CREDENTIALS.resolveCredentials().accessKeyId(),
                    "aws.secret.access.key", DemoMain.CREDENTIALS.resolveCredentials().secretAccessKey());
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        servers();
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(TestServers.class, key -> servers);
    }

    static synchronized Servers servers() throws IOException, InterruptedException {
        if (servers == null) {
            servers = new Servers(DemoServers.start(PLUGIN_PATH, Path.of("target", "test-servers"), Duration.ofMinutes(20)));
        }
        return servers;
    }
}
