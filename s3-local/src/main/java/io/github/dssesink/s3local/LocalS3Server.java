package io.github.dssesink.s3local;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * An S3-compatible server (Adobe S3Mock 5.2.0) in a child JVM on 127.0.0.1, for tests and the
 * local demo. S3Mock is the only local server found that accepts {@code aws:kms:dsse} and reports
 * it back. It runs in its own JVM so that its Spring Boot classpath never meets Kafka's.
 *
 * <p>The child stops when {@link #close()} is called, when this JVM exits (its standard input
 * closes), or after its maximum lifetime, whichever comes first. Known S3Mock gaps: after a
 * multipart upload, HEAD reports no server-side encryption; bucket policies are not checked; KMS
 * keys are checked only for {@code aws:kms}, against a list given at start, not against a KMS.
 */
public final class LocalS3Server implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final String LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

    private final Process process;
    private final OutputStream keepAlive;
    private final URI endpoint;
    private final Path storeRoot;

    private LocalS3Server(Process process, URI endpoint, Path storeRoot) {
        this.process = process;
        this.keepAlive = process.getOutputStream();
        this.endpoint = endpoint;
        this.storeRoot = storeRoot;
    }

    /** Starts a server on a free loopback port that stops by itself after one hour at most. */
    public static LocalS3Server start() {
        return start(0, Duration.ofHours(1));
    }

    /**
     * Starts a server and waits until it responds to requests.
     *
     * @param port        the loopback port, or 0 for a free one
     * @param maxLifetime the time after which the server stops by itself
     */
    public static LocalS3Server start(int port, Duration maxLifetime) {
        return start(port, maxLifetime, List.of());
    }

    /**
     * Starts a server that accepts the given KMS keys for {@code aws:kms}. S3Mock rejects
     * {@code aws:kms} uploads whose key is not on this list with a 400 KMS.NotFoundException; it does
     * not check keys for {@code aws:kms:dsse}.
     *
     * @param validKmsKeys key ARNs; S3Mock 5.2.0 then accepts their bare key IDs in the request
     *                     header, but rejects the ARN form there
     */
    public static LocalS3Server start(int port, Duration maxLifetime, List<String> validKmsKeys) {
        try {
            int httpPort = port == 0 ? freePort() : port;
            Path root = Files.createTempDirectory("dsse-s3-local-");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx512m",
                    "-Dloader.path=" + guardLocation(),
                    "-D" + LoopbackGuard.MAX_SECONDS_PROPERTY + "=" + Math.max(1, maxLifetime.toSeconds()),
                    "-cp", s3MockJar().toString(), LAUNCHER,
                    "--server.address=127.0.0.1",
                    "--server.port=0",
                    "--com.adobe.testing.s3mock.httpPort=" + httpPort,
                    "--com.adobe.testing.s3mock.store.root=" + root,
                    "--com.adobe.testing.s3mock.store.valid-kms-keys=" + String.join(",", validKmsKeys),
                    // A negative port makes S3Mock skip its S3 Vectors connectors, which otherwise
                    // take the fixed ports 9092 and 9193 (9092 is also Kafka's default).
                    "--vectors.http.port=-1",
                    "--vectors.https.port=-1",
                    // Multipart parts of the connector may be larger than S3Mock's default 10 MB limit.
                    "--com.adobe.testing.s3mock.max-payload-size=128MB",
                    "--spring.main.banner-mode=off",
                    "--logging.level.root=WARN"));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(root.resolve("s3mock.log").toFile())
                    .start();
            LocalS3Server server = new LocalS3Server(process, URI.create("http://127.0.0.1:" + httpPort), root);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Starting the local S3 server failed: " + e.getMessage(), e);
        }
    }

    /** Returns the plain-HTTP endpoint, {@code http://127.0.0.1:<port>}; use path-style access. */
    public URI endpoint() {
        return endpoint;
    }

    /** Returns the directory where the server stores buckets and its log ({@code s3mock.log}). */
    public Path storeRoot() {
        return storeRoot;
    }

    /** Returns the process ID of the child JVM. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the server and deletes its store. */
    @Override
    public void close() {
        try {
            keepAlive.close();
        } catch (IOException e) {
            // The child is already gone.
        }
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        deleteTree(storeRoot);
    }

    /** Runs a server until its standard input closes or it times out; prints the endpoint as one JSON line. */
    public static void main(String[] args) {
        int port = 0;
        long maxSeconds = 3600;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--stop-after-seconds" -> maxSeconds = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("Unknown option " + args[i] + "; options: --port N, --stop-after-seconds N");
                    System.exit(2);
                }
            }
        }
        try (LocalS3Server server = start(port, Duration.ofSeconds(maxSeconds))) {
            System.out.println("{\"endpoint\":\"" + server.endpoint() + "\"}");
            System.out.flush();
            while (server.isAlive() && System.in.read() >= 0) {
                // Runs until standard input closes.
            }
        } catch (IOException e) {
            System.err.println("Local S3 server failed: " + e.getMessage());
            System.exit(1);
        }
    }

    private void awaitReady() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The local S3 server exited during start; see " + storeRoot.resolve("s3mock.log"));
            }
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(endpoint.resolve("/")).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("Interrupted while the local S3 server started", e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("Interrupted while the local S3 server started", e);
            }
        }
        close();
        throw new IllegalStateException("The local S3 server did not respond within " + START_TIMEOUT.toSeconds() + " s");
    }

    /** Finds the S3Mock executable jar, which this module depends on, on the class path. */
    static Path s3MockJar() {
        String configured = System.getProperty("dsse.s3mock.jar");
        if (configured != null) {
            return Path.of(configured);
        }
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.startsWith("s3mock-") && name.endsWith("-exec.jar")) {
                return Path.of(entry);
            }
        }
        throw new IllegalStateException("The S3Mock executable jar (com.adobe.testing:s3mock, classifier exec) is not on the class path;"
                + " add the dsse-s3-local dependency or set -Ddsse.s3mock.jar=PATH");
    }

    /**
     * Returns the class path entry of this module, which contains {@link LoopbackGuard} and its
     * {@code META-INF/spring.factories}. It is found through this class, because loading
     * {@code LoopbackGuard} here would need the Spring jars, which only the child JVM has.
     */
    private static Path guardLocation() {
        try {
            return Path.of(LocalS3Server.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot locate the dsse-s3-local classes", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Best effort: the directory is under the temporary directory.
        }
    }
}
