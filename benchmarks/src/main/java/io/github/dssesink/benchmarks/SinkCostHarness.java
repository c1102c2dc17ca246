package io.github.dssesink.benchmarks;

import java.net.URI;
import java.security.Security;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

import io.github.dssesink.connector.config.DsseS3SinkConfig;
import io.github.dssesink.kmslocal.LocalKmsServer;
import io.github.dssesink.s3local.LocalS3Server;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Measures the whole sink with client-side encryption on and off: the real {@code DsseS3SinkTask}
 * writes the same records through the local KMS server to an S3 endpoint on 127.0.0.1, either a
 * null endpoint that discards uploads ({@code --endpoint null}, the sink's own ceiling) or the
 * local S3 server, S3Mock in a child JVM ({@code --endpoint local-s3}). Each case gets one untimed
 * warm-up run, then the cases run in turn for each round, with a fresh task per run. The harness
 * prints each run and a Markdown table of medians.
 *
 * <p>Run with {@code -Dsun.net.httpserver.nodelay=true -Daws.disableEc2Metadata=true} and the
 * environment variable {@code AWS_EC2_METADATA_DISABLED=true}; {@code --help} lists the options.
 * {@code --endpoint local-s3} needs the module's Maven class path rather than the shaded jar: the
 * child JVM loads S3Mock's executable jar and the {@code dsse-s3-local} jar from it.
 */
public final class SinkCostHarness {

    private static final long MIB = 1024 * 1024;
    private static final int PARTITIONS = 3;
    private static final int PART_SIZE_IN_BYTES = 8 * 1024 * 1024;
    private static final String BUCKET = "sink-cost";
    private static final String REGION = "us-east-1";
    private static final String ACCESS_KEY_ID = "test-access-key";
    private static final String SECRET_ACCESS_KEY = "test-secret-key";
    private static final int RECORD_POOL_SIZE = 10_000;
    private static final long RECORD_SEED = 20261204L;
    /** The bytearray format's separator, a newline, which follows every record value. */
    private static final int SEPARATOR_BYTES = 1;

    private SinkCostHarness() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        Options options = Options.parse(args);
        if (options == null) {
            return;
        }
        if (options.cases.contains(SinkCase.DUAL_LAYER_ACCP)) {
            // Appended last, so ACCP serves only the layer 1 cipher that names it.
            Security.addProvider(new AmazonCorrettoCryptoProvider());
        }

        FlightRecords pool = new FlightRecords(RECORD_POOL_SIZE, RECORD_SEED);
        System.out.printf(Locale.ROOT, "JDK %s, %d processors, max heap %d MiB, endpoint %s, record pool mean %.1f bytes + newline%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / MIB,
                options.endpoint, pool.meanBytes());

        Instant deadline = Instant.now().plus(options.maxDuration);
        try (LocalKmsServer kms = LocalKmsServer.start(); S3Endpoint s3 = S3Endpoint.start(options.endpoint)) {
            String layer1KeyId = kms.createKey("sink-cost layer 1").keyId();
            String layer2KeyId = kms.createKey("sink-cost layer 2").keyId();
            for (int objectMib : options.objectSizesMib) {
                Map<String, String> props = baseProps(s3.endpoint(), kms.endpoint(), objectMib, pool);
                measureObjectSize(options, objectMib, props, pool, layer1KeyId, layer2KeyId, deadline);
            }
            s3.describeUploads();
        }
    }

    private static void measureObjectSize(Options options, int objectMib, Map<String, String> props, FlightRecords pool,
                                          String layer1KeyId, String layer2KeyId, Instant deadline) {
        long objectBytes = objectMib * MIB;
        long objectsPerPartition = Math.max(1, ceilDiv(options.volumeMib * MIB, objectBytes * PARTITIONS));
        long warmupObjectsPerPartition = Math.max(1, ceilDiv(options.warmupMib * MIB, objectBytes * PARTITIONS));
        System.out.printf(Locale.ROOT, "%n%d MiB objects: flush.size %s records, %d objects per partition per run (%d MiB), warm-up %d%n",
                objectMib, props.get(DsseS3SinkConfig.FLUSH_SIZE), objectsPerPartition,
                objectsPerPartition * PARTITIONS * objectMib, warmupObjectsPerPartition);

        for (SinkCase sinkCase : options.cases) {
            SinkRun.Result warmup = SinkRun.run(sinkCase, caseProps(sinkCase, props, layer1KeyId, layer2KeyId), pool, PARTITIONS,
                    warmupObjectsPerPartition);
            System.out.printf(Locale.ROOT, "warm-up %-16s %8.1f MB/s%n", sinkCase.label(), warmup.megabytesPerSecond());
        }

        long runRecords = objectsPerPartition * PARTITIONS * Long.parseLong(props.get(DsseS3SinkConfig.FLUSH_SIZE));
        long[] generation = SinkRun.generateOnly(pool, PARTITIONS, runRecords);
        System.out.printf(Locale.ROOT, "record generation alone (no task): %.2f s, %.2f allocated bytes per record byte%n",
                generation[0] / 1e9, generation[1] / (runRecords * (pool.meanBytes() + SEPARATOR_BYTES)));

        Map<SinkCase, List<SinkRun.Result>> results = new EnumMap<>(SinkCase.class);
        for (int round = 1; round <= options.repetitions; round++) {
            if (Instant.now().isAfter(deadline)) {
                System.out.printf("Time limit of %s reached: skipping rounds %d to %d%n", options.maxDuration, round, options.repetitions);
                break;
            }
            for (SinkCase sinkCase : options.cases) {
                SinkRun.Result result = SinkRun.run(sinkCase, caseProps(sinkCase, props, layer1KeyId, layer2KeyId), pool,
                        PARTITIONS, objectsPerPartition);
                results.computeIfAbsent(sinkCase, c -> new ArrayList<>()).add(result);
                printRun(round, result);
            }
        }
        ResultTable.print(objectMib, results);
    }

    /** Returns the task config shared by all cases for one object size. */
    private static Map<String, String> baseProps(URI s3Endpoint, URI kmsEndpoint, int objectMib, FlightRecords pool) {
        long flushSize = Math.round(objectMib * MIB / (pool.meanBytes() + SEPARATOR_BYTES));
        Map<String, String> props = new HashMap<>();
        props.put("name", SinkRun.CONNECTOR_NAME);
        props.put(DsseS3SinkConfig.S3_BUCKET_NAME, BUCKET);
        props.put(DsseS3SinkConfig.S3_REGION, REGION);
        props.put(DsseS3SinkConfig.STORE_URL, s3Endpoint.toString());
        props.put(DsseS3SinkConfig.S3_PATH_STYLE_ACCESS_ENABLED, "true");
        props.put(DsseS3SinkConfig.S3_PART_SIZE, Integer.toString(PART_SIZE_IN_BYTES));
        props.put(DsseS3SinkConfig.S3_RETRY_MAX_ATTEMPTS, "1");
        props.put(DsseS3SinkConfig.AWS_ACCESS_KEY_ID, ACCESS_KEY_ID);
        props.put(DsseS3SinkConfig.AWS_SECRET_ACCESS_KEY, SECRET_ACCESS_KEY);
        props.put(DsseS3SinkConfig.KMS_ENDPOINT, kmsEndpoint.toString());
        props.put(DsseS3SinkConfig.KMS_REGION, REGION);
        props.put(DsseS3SinkConfig.FORMAT_CLASS, "bytearray");
        props.put(DsseS3SinkConfig.FLUSH_SIZE, Long.toString(flushSize));
        // Preflight's HeadBucket and DescribeKey calls happen at start, outside the timed part, but
        // they would add to the task's KMS call count.
        props.put(DsseS3SinkConfig.PREFLIGHT_ENABLED, "false");
        return props;
    }

    private static Map<String, String> caseProps(SinkCase sinkCase, Map<String, String> baseProps, String layer1KeyId,
                                                 String layer2KeyId) {
        Map<String, String> props = new HashMap<>(baseProps);
        sinkCase.configure(props, layer1KeyId, layer2KeyId);
        return props;
    }

    private static void printRun(int round, SinkRun.Result result) {
        System.out.printf(Locale.ROOT, "round %d %-16s %8.1f MB/s  %6.2f s  %d objects  %d KMS calls  %d uploads  "
                        + "encryption %.2f s (setup %.2f s)  process CPU %.2f s  task thread CPU %.2f s  allocated %.2f B/B%n",
                round, result.sinkCase().label(), result.megabytesPerSecond(), result.wallNanos() / 1e9, result.objects(),
                result.kmsCalls(), result.uploadRequests(), result.encryptionMs() / 1e3, result.encryptionSetupMs() / 1e3, result.processCpuNanos() / 1e9, result.taskThreadCpuNanos() / 1e9,
                (double) result.taskThreadAllocatedBytes() / result.recordBytes());
    }

    private static long ceilDiv(long dividend, long divisor) {
        return (dividend + divisor - 1) / divisor;
    }

    /** The S3 endpoint of a run: the null endpoint or the local S3 server, with the bucket in place. */
    private static final class S3Endpoint implements AutoCloseable {
        private final NullS3Server nullServer;
        private final LocalS3Server localServer;

        private S3Endpoint(NullS3Server nullServer, LocalS3Server localServer) {
            this.nullServer = nullServer;
            this.localServer = localServer;
        }

        static S3Endpoint start(String kind) {
            if (kind.equals("null")) {
                return new S3Endpoint(NullS3Server.start(), null);
            }
            LocalS3Server server = LocalS3Server.start(0, Duration.ofMinutes(30));
            try (S3Client s3 = S3Client.builder()
                    .endpointOverride(server.endpoint())
                    .region(Region.of(REGION))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
                    .forcePathStyle(true)
                    .build()) {
                s3.createBucket(request -> request.bucket(BUCKET));
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            return new S3Endpoint(null, server);
        }

        URI endpoint() {
            return nullServer != null ? nullServer.endpoint() : localServer.endpoint();
        }

        /** Prints what the null endpoint received, including how the SDK framed and signed upload bodies. */
        void describeUploads() {
            if (nullServer != null) {
                System.out.printf("%nNull endpoint: %d requests, %d body bytes; first upload request: %s%n",
                        nullServer.requestCount(), nullServer.bodyBytes(), nullServer.firstUploadHeaders());
            }
        }

        @Override
        public void close() {
            if (nullServer != null) {
                nullServer.close();
            }
            if (localServer != null) {
                localServer.close();
            }
        }
    }

    /** The command-line options, with the defaults of the recorded run. */
    private static final class Options {
        String endpoint = "null";
        long volumeMib = 512;
        long warmupMib = 128;
        int repetitions = 5;
        int[] objectSizesMib = {16, 1};
        List<SinkCase> cases = List.of(SinkCase.PLAIN, SinkCase.DSSE_HEADER, SinkCase.DUAL_LAYER, SinkCase.DUAL_LAYER_ACCP);
        Duration maxDuration = Duration.ofMinutes(10);

        /** Returns the parsed options, or null after printing the help. */
        static Options parse(String[] args) {
            Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (name.equals("--help")) {
                    System.out.println("""
                            Options (defaults in brackets):
                              --endpoint null|local-s3   the S3 endpoint: a null endpoint that discards uploads, or S3Mock [null]
                              --volume-mib N             MiB of records per timed run, rounded up to whole objects [512]
                              --warmup-mib N             MiB of records in the untimed warm-up run of each case [128]
                              --repetitions N            timed runs of each case, interleaved [5]
                              --object-mib A,B           object sizes in MiB, one table each [16,1]
                              --cases A,B                plain, dsse-header, dual-layer, dual-layer-accp [all four]
                              --max-minutes N            no new round starts after N minutes [10]""");
                    return null;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("Missing value for " + name + "; see --help");
                }
                String value = args[++i];
                switch (name) {
                    case "--endpoint" -> options.endpoint = requireEndpoint(value);
                    case "--volume-mib" -> options.volumeMib = Long.parseLong(value);
                    case "--warmup-mib" -> options.warmupMib = Long.parseLong(value);
                    case "--repetitions" -> options.repetitions = Integer.parseInt(value);
                    case "--object-mib" -> options.objectSizesMib = Arrays.stream(value.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
                    case "--cases" -> options.cases = Arrays.stream(value.split(",")).map(SinkCase::parse).toList();
                    case "--max-minutes" -> options.maxDuration = Duration.ofMinutes(Long.parseLong(value));
                    default -> throw new IllegalArgumentException("Unknown option " + name + "; see --help");
                }
            }
            return options;
        }

        private static String requireEndpoint(String value) {
            if (!value.equals("null") && !value.equals("local-s3")) {
                throw new IllegalArgumentException("Invalid value '" + value + "' for --endpoint; use null or local-s3");
            }
            return value;
        }
    }
}
