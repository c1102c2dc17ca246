package io.github.dssesink.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Mock 5.2.0 (the {@code exec} jar) as a child process on 127.0.0.1. It runs in its own JVM
 * because its Spring Boot 4 and Tomcat 11 class path would clash with the Kafka broker's and
 * Connect worker's Jetty and Jersey jars. The process is wrapped in {@code timeout}, so it stops
 * by itself after its maximum lifetime even if the demo's JVM is killed.
 */
final class S3MockProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(S3MockProcess.class);
    private static final String LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";
    private static final Path TIMEOUT_COMMAND = Path.of("/usr/bin/timeout");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final URI endpoint;
    private final Path logFile;

    private final Path storeRoot;

    private S3MockProcess(Process process, URI endpoint, Path logFile, Path storeRoot) {
        this.process = process;
        this.endpoint = endpoint;
        this.logFile = logFile;
        this.storeRoot = storeRoot;
    }

    /**
     * Starts S3Mock and waits until it responds to ListBuckets.
     *
     * @param jar the S3Mock exec jar
     * @param workDir a directory for the object store and the server's log
     * @param maxLifetime the time after which the process ends itself
     * @param probe builds an S3 client for a given endpoint, used to check readiness
     */
    static S3MockProcess start(Path jar, Path workDir, Duration maxLifetime, java.util.function.Function<URI, S3Client> probe)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("S3Mock jar not found at " + jar + "; build the demo module first (mvn -B -q install -DskipTests)");
        }
        // A fresh store per run: S3Mock keeps buckets and objects found in an existing root.
        Path storeRoot = Files.createTempDirectory(Files.createDirectories(workDir), "s3mock-store-");
        Path logFile = workDir.resolve("s3mock.log");
        int port = freeLoopbackPort();
        Process process = new ProcessBuilder(command(jar, storeRoot, port, maxLifetime))
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .start();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        S3MockProcess s3Mock = new S3MockProcess(process, endpoint, logFile, storeRoot);
        try {
            s3Mock.awaitReady(probe);
        } catch (IOException | InterruptedException | RuntimeException e) {
            s3Mock.close();
            throw e;
        }
        LOG.info("S3Mock started at {} (pid {}), log {}", endpoint, process.pid(), logFile);
        return s3Mock;
    }

    private static List<String> command(Path jar, Path storeRoot, int port, Duration maxLifetime) {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(TIMEOUT_COMMAND)) {
            command.add(TIMEOUT_COMMAND.toString());
            command.add(Long.toString(maxLifetime.toSeconds()));
        } else {
            LOG.warn("{} not found: S3Mock stops when the demo stops, but not by itself if the demo is killed", TIMEOUT_COMMAND);
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx768m",
                "-Dloader.path=" + initializerLocation(),
                "-cp", jar.toString(), LAUNCHER,
                "--server.address=127.0.0.1",
                "--server.port=" + port,
                "--server.ssl.enabled=false",
                // The second plain-HTTP connector cannot be switched off; S3MockLoopbackInitializer
                // binds it to 127.0.0.1 on an ephemeral port.
                "--http.port=0",
                // A negative port makes S3Mock skip its S3 Vectors connectors.
                "--vectors.http.port=-1",
                "--vectors.https.port=-1",
                "--com.adobe.testing.s3mock.store.root=" + storeRoot,
                "--com.adobe.testing.s3mock.store.retainFilesOnExit=false",
                // Multipart parts are at least 5 MiB and the connector's default is 25 MiB.
                "--com.adobe.testing.s3mock.max-payload-size=64MB",
                "--spring.main.banner-mode=off"));
        return command;
    }

    /**
     * Returns the class path entry that contains {@code S3MockLoopbackInitializer} and its
     * {@code META-INF/spring.factories}: this class's own entry. The initializer class itself is
     * not loaded here, because the demo's class path has no Spring jars.
     */
    private static String initializerLocation() {
        try {
            return Path.of(S3MockProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Invalid class location of " + S3MockProcess.class.getName(), e);
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitReady(java.util.function.Function<URI, S3Client> probe) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (S3Client s3 = probe.apply(endpoint)) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IOException("S3Mock exited with status " + process.exitValue() + " during start; see " + logFile);
                }
                try {
                    s3.listBuckets();
                    return;
                } catch (RuntimeException notReady) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("S3Mock did not respond at " + endpoint + " within " + START_TIMEOUT.toSeconds()
                                + " s; see " + logFile, notReady);
                    }
                    Thread.sleep(250);
                }
            }
        }
    }

    URI endpoint() {
        return endpoint;
    }

    Path logFile() {
        return logFile;
    }

    /** Stops the process (SIGTERM, then SIGKILL after 10 s) and its child JVM. */
    @Override
    public void close() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                LOG.warn("S3Mock (pid {}) did not stop within 10 s after SIGTERM; killing it", process.pid());
                descendants.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            descendants.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteStore();
        LOG.info("S3Mock at {} stopped", endpoint);
    }

    private void deleteStore() {
        try (Stream<Path> files = Files.walk(storeRoot)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warn("Failed to delete the S3Mock store {}: {}", storeRoot, e.toString());
        }
    }
}
