package io.github.dssesink.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.dssesink.crypto.AwsKmsKeyProvider;
import io.github.dssesink.crypto.EnvelopeDecryptor;
import io.github.dssesink.kafkalocal.LocalKafkaConnect;
import io.github.dssesink.kafkalocal.WorkerRestException;
import io.github.dssesink.kmslocal.LocalKeyMetadata;
import io.github.dssesink.kmslocal.LocalKmsServer;
import io.github.dssesink.s3local.LocalS3Server;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The main job. It starts Kafka, a Connect worker with the packaged plugin, S3Mock and the local
 * KMS on loopback, produces a data set and runs the connector until every offset is committed.
 * Then it reads every object back, decrypts it and checks every record. Exit status 0 means that
 * every record was found exactly once with equal content.
 */
@Command(name = "dsse-demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the DSSE S3 sink end to end on loopback servers and verifies every record.")
public final class DemoMain implements Callable<Integer> {

    static final String REGION = "us-east-1";
    static final String BUCKET = "dsse-demo";
    /** Static test credentials: the local servers do not check signatures. */
    static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIADSSEDEMO", "dsse-demo-secret"));
    private static final double MEGABYTE = 1_000_000.0;
    /** The placeholder names that {@link #connectorConfig} fills in. */
    static final Set<String> PLACEHOLDERS = Set.of("TOPICS", "TOPICS_DIR", "S3_BUCKET", "S3_REGION", "AWS_ACCOUNT_ID",
            "SSE_KMS_KEY_ID", "LAYER1_KMS_KEY_ID", "LAYER2_KMS_KEY_ID", "SSE_CUSTOMER_KEY", "KAFKA_BOOTSTRAP_SERVERS");

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "Records to produce: JSON lines, a JSON array, or CSV with a header row (.csv).")
    Path input;

    @Option(names = "--topic", paramLabel = "NAME", defaultValue = "flights", description = "Topic to produce to and sink from (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "3", description = "Partitions of the topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--records", paramLabel = "N", description = "Produce only the first N records (default: all).")
    Integer records;

    @Option(names = "--connector-config", paramLabel = "FILE", defaultValue = "config/dsse-dual-layer.properties",
            description = "Connector config (.properties or .json) whose $${NAME} placeholders the demo fills in (default: ${DEFAULT-VALUE}).")
    Path connectorConfig;

    @Option(names = "--plugin-path", paramLabel = "DIR", defaultValue = "demo/target/plugins",
            description = "The worker's plugin.path: a directory holding the unpacked plugin (default: ${DEFAULT-VALUE}).")
    Path pluginPath;

    @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = "demo/target/demo-run",
            description = "Directory for the Kafka and Connect data (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--rotate-schedule-ms", paramLabel = "MS", defaultValue = "5000",
            description = "Overrides rotate.schedule.interval.ms in milliseconds, so the last partly filled object of each partition "
                    + "completes soon after the data ends (default: ${DEFAULT-VALUE}).")
    long rotateScheduleMs;

    @Option(names = "--timeout-seconds", paramLabel = "SECONDS", defaultValue = "900",
            description = "Maximum seconds to wait for every offset to be committed (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--keep-running", description = "After the check, keep the servers up and print their endpoints until Ctrl-C.")
    boolean keepRunning;

    @Option(names = "--keep-running-max-seconds", paramLabel = "SECONDS", defaultValue = "1800",
            description = "With --keep-running, stop anyway after this many seconds (default: ${DEFAULT-VALUE}).")
    long keepRunningMaxSeconds;

    @Option(names = "--verbose", description = "On an error, also print the stack trace.")
    boolean verbose;

    private PrintStream out = System.out;
    /** Servers that a test started and shares; null makes the demo start and stop its own. */
    private DemoServers runningServers;

    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "log4j2-demo.xml");
        }
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the demo with these arguments and returns the exit status: 0 when every record matched. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, null);
    }

    /**
     * Runs the demo on {@code servers}, which stay running, or on servers of its own when
     * {@code servers} is null. Returns the exit status: 0 when every record matched, 1 when a
     * record or the run failed, and 2 for invalid options, input or connector config.
     */
    static int run(String[] args, PrintStream out, PrintStream err, DemoServers servers) {
        // No SDK client may fall back to the EC2 instance metadata address.
        System.setProperty("aws.disableEc2Metadata", "true");
        DemoMain demo = new DemoMain();
        demo.out = out;
        demo.runningServers = servers;
        CommandLine commandLine = new CommandLine(demo);
        commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        commandLine.setExecutionExceptionHandler(demo::handleError);
        return commandLine.execute(args);
    }

    /** Prints an error of the run as one line, and its stack trace with --verbose. */
    private int handleError(Exception error, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        if (verbose) {
            error.printStackTrace(err);
        }
        if (error instanceof InvalidInputException) {
            err.println("Error: " + error.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        err.println("Error: " + ErrorMessages.summary(error) + (verbose ? "" : " (run with --verbose for the stack trace)"));
        return CommandLine.ExitCode.SOFTWARE;
    }

    @Override
    public Integer call() throws Exception {
        int limit = records == null ? Integer.MAX_VALUE : records;
        if (limit < 1 || partitions < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--records and --partitions must be at least 1");
        }
        // Starting the servers takes about 20 s, so the files are checked first.
        requireReadableFile(input, "--input");
        requireReadableFile(connectorConfig, "--connector-config");
        List<byte[]> values = InputRecords.load(input, limit);
        if (values.isEmpty()) {
            out.println("No records in " + input + "; nothing to do.");
            return 1;
        }
        Map<String, String> fileConfig = ConnectorConfigFile.read(connectorConfig);
        ConnectorConfigFile.requireKnownPlaceholders(fileConfig, PLACEHOLDERS, connectorConfig);
        comparison(fileConfig);
        out.printf(Locale.ROOT, "Input: %s, %d records, %.1f MB%n", input, values.size(), InputRecords.totalBytes(values) / MEGABYTE);

        if (runningServers != null) {
            return runOnServers(runningServers, fileConfig, values);
        }
        Duration s3MockLifetime = Duration.ofSeconds(timeoutSeconds + (keepRunning ? keepRunningMaxSeconds : 0) + 600);
        try (DemoServers servers = DemoServers.start(pluginPath, workDir, s3MockLifetime)) {
            return runOnServers(servers, fileConfig, values);
        }
    }

    /** Rejects a path that is missing, a directory or unreadable, naming the option to correct. */
    private static void requireReadableFile(Path file, String option) {
        if (!Files.exists(file)) {
            throw new InvalidInputException("File not found: " + file.toAbsolutePath() + "; pass an existing file with " + option);
        }
        if (Files.isDirectory(file)) {
            throw new InvalidInputException(file + " is a directory; pass a file with " + option);
        }
        if (!Files.isReadable(file)) {
            throw new InvalidInputException("Cannot read " + file + ": permission denied; make it readable or pass another file with "
                    + option);
        }
    }

    private int runOnServers(DemoServers servers, Map<String, String> fileConfig, List<byte[]> values)
            throws IOException, InterruptedException, ExecutionException {
        DemoKeys keys = servers.keys();
        out.printf("Servers: Kafka %s, Connect %s, S3Mock %s, KMS %s%n", servers.connect().bootstrapServers(),
                servers.connect().restEndpoint(), servers.s3Mock().endpoint(), servers.kms().endpoint());
        out.printf("KMS keys: server-side %s, layer 1 %s, layer 2 %s%n", keys.serverSide(), keys.layer1(), keys.layer2());

        Map<String, String> config = connectorConfig(fileConfig, keys, servers.s3Mock().endpoint(), servers.kms().endpoint(),
                servers.connect().bootstrapServers());
        int status = runJob(servers.connect(), servers.s3(), servers.kmsClient(), keys, config, values);
        if (keepRunning) {
            keepRunning(servers.connect(), servers.s3Mock(), servers.kms());
        }
        return status;
    }

    private int runJob(LocalKafkaConnect connect, S3Client s3, KmsClient kmsClient, DemoKeys keys, Map<String, String> config,
                       List<byte[]> values) throws IOException, InterruptedException, ExecutionException {
        connect.kafka().createTopic(topic, partitions);
        long produceStart = System.nanoTime();
        ProducedRecords produced = ProducedRecords.produce(connect.kafka(), topic, partitions, values);
        double produceSeconds = secondsSince(produceStart);
        out.printf(Locale.ROOT, "Produced %d records to topic %s (%s per partition) in %.1f s%n", produced.size(), topic,
                produced.countsByPartition(), produceSeconds);

        String connectorName = config.get("name");
        long sinkStart = System.nanoTime();
        try {
            connect.configureConnector(connectorName, config);
        } catch (WorkerRestException e) {
            if (e.statusCode() != 400) {
                throw e;
            }
            throw new InvalidInputException("Connect rejected the connector config in " + connectorConfig + ": "
                    + ErrorMessages.connectRestMessage(e) + "; correct these values in the file", e);
        }
        try {
            connect.awaitCommitted(connectorName, topic, produced.endOffsets(), Duration.ofSeconds(timeoutSeconds));
        } catch (TimeoutException e) {
            out.println("FAILED: " + e.getMessage());
            return 1;
        }
        double sinkSeconds = secondsSince(sinkStart);

        ObjectVerifier verifier = new ObjectVerifier(s3, BUCKET, decryptor(config, kmsClient, keys), sseCustomerKey(config),
                config.getOrDefault("s3.compression.type", "none"), comparison(config));
        String prefix = config.getOrDefault("topics.dir", "topics") + "/";
        ObjectVerifier.Result result = verifier.verify(prefix, topic, produced);
        new DemoReport(out, keys).print(config, produced, result, InputRecords.totalBytes(values), sinkSeconds);
        return result.allMatched(produced.size()) ? 0 : 1;
    }

    /** Fills in the file's placeholders and points the connector at the loopback servers. */
    private Map<String, String> connectorConfig(Map<String, String> fileConfig, DemoKeys keys, URI s3Endpoint, URI kmsEndpoint,
                                                String bootstrapServers) {
        Map<String, String> placeholders = new HashMap<>();
        placeholders.put("TOPICS", topic);
        placeholders.put("TOPICS_DIR", "topics");
        placeholders.put("S3_BUCKET", BUCKET);
        placeholders.put("S3_REGION", REGION);
        placeholders.put("AWS_ACCOUNT_ID", LocalKmsServer.DEFAULT_ACCOUNT_ID);
        // The bare key ID: S3Mock 5.2.0 rejects the ARN form in the x-amz-server-side-encryption-aws-kms-key-id header.
        placeholders.put("SSE_KMS_KEY_ID", keys.serverSide());
        placeholders.put("LAYER1_KMS_KEY_ID", keys.layer1());
        placeholders.put("LAYER2_KMS_KEY_ID", keys.layer2());
        placeholders.put("SSE_CUSTOMER_KEY", keys.customerKey());
        placeholders.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        Map<String, String> config = ConnectorConfigFile.substitute(fileConfig, placeholders);
        config.putIfAbsent("name", "dsse-s3-sink");
        config.put("topics", topic);
        config.put("store.url", s3Endpoint.toString());
        config.put("s3.path.style.access.enabled", "true");
        config.put("dsse.kms.endpoint", kmsEndpoint.toString());
        config.put("aws.access.key.id", CREDENTIALS.resolveCredentials().accessKeyId());
        config.put("aws.secret.access.key", CREDENTIALS.resolveCredentials().secretAccessKey());
        config.put("rotate.schedule.interval.ms", Long.toString(rotateScheduleMs));
        return config;
    }

    private static EnvelopeDecryptor decryptor(Map<String, String> config, KmsClient kmsClient, DemoKeys keys) {
        if (!Boolean.parseBoolean(config.getOrDefault("dsse.client.encryption.enabled", "true"))) {
            return null;
        }
        return EnvelopeDecryptor.builder()
                .keyProvider(new AwsKmsKeyProvider(kmsClient))
                .allowedKeyIds(List.of(keys.layer1(), keys.layer2()))
                .build();
    }

    private static String sseCustomerKey(Map<String, String> config) {
        String key = config.get("s3.sse.customer.key");
        return key == null || key.isBlank() ? null : key;
    }

    private static ObjectVerifier.Comparison comparison(Map<String, String> config) {
        String format = config.getOrDefault("format.class", "json").toLowerCase(Locale.ROOT);
        if (format.contains("bytearray")) {
            return ObjectVerifier.Comparison.BYTES;
        }
        if (format.contains("json")) {
            return ObjectVerifier.Comparison.JSON;
        }
        throw new InvalidInputException("Unsupported format.class " + format + " for the demo's read-back; use bytearray or json");
    }

    private void keepRunning(LocalKafkaConnect connect, LocalS3Server s3Mock, LocalKmsServer kms) throws InterruptedException {
        out.println("Servers keep running; press Ctrl-C to stop (at most " + keepRunningMaxSeconds + " s):");
        out.println("  Kafka bootstrap servers: " + connect.bootstrapServers());
        out.println("  Connect REST:            " + connect.restEndpoint());
        out.println("  S3 endpoint (S3Mock):    " + s3Mock.endpoint() + " (bucket " + BUCKET + ", path-style, region " + REGION + ")");
        out.println("  KMS endpoint:            " + kms.endpoint());
        out.println("  Credentials:             any access key and secret; the servers do not check signatures");
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown, "dsse-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (!stop.await(keepRunningMaxSeconds, TimeUnit.SECONDS)) {
            out.println("Stopping after " + keepRunningMaxSeconds + " s (--keep-running-max-seconds)");
            Runtime.getRuntime().removeShutdownHook(hook);
        }
    }

    /**
     * Starts a broker and a worker on loopback that load the connector only from
     * {@code pluginPath}, as an installation from the plugin zip would.
     */
    static LocalKafkaConnect startKafkaConnect(Path pluginPath, Path workDir) throws IOException {
        return LocalKafkaConnect.builder()
                .workDir(workDir)
                .pluginPath(pluginPath)
                // The sink reports only offsets of objects complete in S3, so commit them every second.
                .workerProperties(Map.of("offset.flush.interval.ms", "1000"))
                .start();
    }

    static S3Client s3Client(URI endpoint) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.of(REGION))
                .credentialsProvider(CREDENTIALS)
                .build();
    }

    static KmsClient kmsClient(URI endpoint) {
        return KmsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(CREDENTIALS)
                .build();
    }

    private static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * The KMS keys the demo creates, and a random SSE-C key for configs that use SSE-C. The key IDs
     * are bare UUIDs; {@code serverSideArn} is the server-side key's ARN.
     */
    record DemoKeys(String serverSide, String serverSideArn, String layer1, String layer2, String customerKey) {
        static DemoKeys create(LocalKmsServer kms) {
            byte[] customerKey = new byte[32];
            new SecureRandom().nextBytes(customerKey);
            LocalKeyMetadata serverSide = kms.createKey("DSSE demo: S3 server-side key");
            return new DemoKeys(
                    serverSide.keyId(),
                    serverSide.arn(),
                    kms.createKey("DSSE demo: client-side layer 1").keyId(),
                    kms.createKey("DSSE demo: client-side layer 2").keyId(),
                    Base64.getEncoder().encodeToString(customerKey));
        }

        /** Returns a short label for a key ID the demo created, or the ID itself. */
        String label(String keyId) {
            if (keyId == null || keyId.isEmpty()) {
                return "-";
            }
            if (keyId.contains(serverSide)) {
                return "server-side";
            }
            if (keyId.contains(layer1)) {
                return "layer-1";
            }
            if (keyId.contains(layer2)) {
                return "layer-2";
            }
            return keyId;
        }
    }
}
