package io.github.dssesink.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.dssesink.crypto.AwsKmsKeyProvider;
import io.github.dssesink.crypto.EncryptingOutputStream;
import io.github.dssesink.crypto.EnvelopeEncryptor;
import io.github.dssesink.crypto.KeyBlock;
import io.github.dssesink.kmslocal.LocalKeyMetadata;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** Runs dsse commands in-process against the test servers and writes test objects. */
@ExtendWith(TestServers.class)
abstract class CliTestSupport {
    static final String DSSE = "aws:kms:dsse";
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    /** Exit code, standard output, standard error and the binary plaintext output of one run. */
    record CliResult(int exitCode, String out, String err, byte[] binaryOut) {
    }

    static TestServers.Servers servers() {
        return TestServers.servers();
    }

    static S3Client s3() {
        return servers().s3();
    }

    static String newBucket(String name) {
        String bucket = name + "-" + BUCKETS.incrementAndGet();
        s3().createBucket(request -> request.bucket(bucket));
        return bucket;
    }

    /** Creates a KMS key and registers it with S3Mock, which accepts only known keys for aws:kms. */
    static LocalKeyMetadata newKey(String description) {
        LocalKeyMetadata key = servers().kms().createKey(description);
        servers().s3Mock().registerKMSKeyRef(key.arn());
        return key;
    }

    /** Runs {@code dsse SUBCOMMAND} with the test endpoints, region and credentials, then the given arguments. */
    static CliResult run(String subcommand, String... args) {
        List<String> all = new ArrayList<>(List.of(subcommand,
                "--endpoint-url", servers().s3Endpoint().toString(),
                "--path-style",
                "--region", TestServers.REGION,
                "--kms-endpoint-url", servers().kms().endpoint().toString(),
                "--no-progress"));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream binary = new ByteArrayOutputStream();
        CommandLine commandLine = DsseCommand.newCommandLine(new DsseCommand(TestServers.CREDENTIALS).withBinaryOutput(binary));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(all.toArray(new String[0]));
        return new CliResult(exitCode, out.toString(), err.toString(), binary.toByteArray());
    }

    static EnvelopeEncryptor encryptor(String layer1KeyId, String layer2KeyId, int frameSize) {
        AwsKmsKeyProvider kms = new AwsKmsKeyProvider(servers().kmsClient());
        return EnvelopeEncryptor.builder().layer1(kms, layer1KeyId).layer2(kms, layer2KeyId).frameSize(frameSize).build();
    }

    static Map<String, String> context(String topic) {
        return Map.of("dsse-sink:purpose", "kafka-archive", "dsse-sink:connector", "cli-test", "dsse-sink:topic", topic);
    }

    /** Encrypts the plaintext and returns the stored body and the key block. */
    static Encrypted encrypt(EnvelopeEncryptor encryptor, byte[] plaintext, Map<String, String> context) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (EncryptingOutputStream stream = encryptor.open(body, context)) {
            stream.write(plaintext);
            stream.close();
            return new Encrypted(body.toByteArray(), stream.keyBlock());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Encrypted(byte[] body, KeyBlock keyBlock) {
    }

    /** Stores an encrypted object as the connector does after a single PutObject, with DSSE-KMS under {@code sseKeyId}. */
    static byte[] putObject(String bucket, String key, Encrypted encrypted, String sse, String sseKeyId, Map<String, String> extraMetadata) {
        Map<String, String> metadata = new HashMap<>(extraMetadata);
        metadata.put(KeyBlock.S3_METADATA_NAME, encrypted.keyBlock().toBase64());
        s3().putObject(request -> request.bucket(bucket).key(key)
                .contentType("application/x-ndjson")
                .metadata(metadata)
                .serverSideEncryption(sse == null ? null : ServerSideEncryption.fromValue(sse))
                .ssekmsKeyId(sseKeyId), RequestBody.fromBytes(encrypted.body()));
        return encrypted.body();
    }

    /**
     * Stores a plaintext object as the connector does with client-side encryption off: DSSE-KMS under
     * {@code sseKeyId} and connector metadata, but no key block.
     */
    static void putServerSideOnlyObject(String bucket, String key, byte[] body, String sseKeyId, Map<String, String> metadata) {
        s3().putObject(request -> request.bucket(bucket).key(key)
                .contentType("application/x-ndjson")
                .metadata(metadata)
                .serverSideEncryption(ServerSideEncryption.fromValue(DSSE))
                .ssekmsKeyId(sseKeyId), RequestBody.fromBytes(body));
    }

    static Map<String, String> connectorMetadata(String topic, int partition, long startOffset, Long recordCount) {
        Map<String, String> metadata = new HashMap<>();
        metadata.put("dsse-topic", topic);
        metadata.put("dsse-partition", Integer.toString(partition));
        metadata.put("dsse-start-offset", Long.toString(startOffset));
        metadata.put("dsse-format", "json");
        if (recordCount != null) {
            metadata.put("dsse-end-offset", Long.toString(startOffset + recordCount - 1));
            metadata.put("dsse-record-count", Long.toString(recordCount));
        }
        return metadata;
    }

    /** Returns newline-separated JSON records, {@code count} of them. */
    static byte[] jsonLines(int count, int seed) {
        StringBuilder lines = new StringBuilder();
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            lines.append("{\"offset\":").append(i).append(",\"value\":\"").append(Long.toHexString(random.nextLong())).append("\"}\n");
        }
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] getBytes(String bucket, String key) {
        return s3().getObjectAsBytes(request -> request.bucket(bucket).key(key)).asByteArray();
    }

    static String uri(String bucket, String key) {
        return "s3://" + bucket + "/" + key;
    }
}
