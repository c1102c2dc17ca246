package io.github.dssesink.connector;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

/**
 * Apicurio Registry 2.6.13.Final in a child JVM on 127.0.0.1, with in-memory (H2) storage, for
 * tests that need a Confluent-compatible Schema Registry. Maven unpacks the server into the
 * directory named by the system property {@value #HOME_PROPERTY}.
 *
 * <p>The child runs under {@link BoundedLifetimeMain}, so it stops when {@link #close()} is
 * called, when this JVM exits (the child's standard input closes), or after its maximum
 * lifetime, whichever comes first. It listens on one port only. Quarkus' management interface
 * stays off, and Narayana 7.0.2, the transaction manager inside, takes its process ID from a UUID.
 * Without that setting, ss -ltnp shows it holding a second loopback port, chosen at random.
 */
final class LocalSchemaRegistry implements AutoCloseable {

    static final String HOME_PROPERTY = "apicurio.registry.home";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final OutputStream keepAlive;
    private final int port;
    private final Path workDir;

    private LocalSchemaRegistry(Process process, int port, Path workDir) {
        this.process = process;
        this.keepAlive = process.getOutputStream();
        this.port = port;
        this.workDir = workDir;
    }

    /**
     * Starts a registry on a free loopback port and waits until its REST API responds.
     *
     * @param maxLifetime the time after which the child JVM exits by itself
     */
    static LocalSchemaRegistry start(Duration maxLifetime) {
        try {
            Path runnerJar = runnerJar(home());
            Path workDir = Files.createTempDirectory(Path.of("target"), "schema-registry-").toAbsolutePath();
            int port = freePort();
            List<String> command = List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                    "-Dquarkus.http.host=127.0.0.1",
                    "-Dquarkus.http.port=" + port,
                    "-Dquarkus.management.enabled=false",
                    // The default of 2.6.13, set here because system properties override REGISTRY_DATASOURCE_URL in the environment.
                    "-Dquarkus.datasource.jdbc.url=jdbc:h2:mem:registry_db",
                    "-DCoreEnvironmentBean.processImplementationClassName=com.arjuna.ats.internal.arjuna.utils.UuidProcessId",
                    "-cp", copyLauncher(workDir) + File.pathSeparator + runnerJar,
                    BoundedLifetimeMain.class.getName(),
                    Long.toString(Math.max(1, maxLifetime.toSeconds())),
                    mainClass(runnerJar));
            // The working directory takes Narayana's object store (ObjectStore/) and the log.
            Process process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("registry.log").toFile())
                    .start();
            LocalSchemaRegistry registry = new LocalSchemaRegistry(process, port, workDir);
            registry.awaitReady();
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException("Starting Apicurio Registry failed: " + e.getMessage(), e);
        }
    }

    /** Returns the base URL of the registry's own v2 API, which Apicurio's serdes and converters use. */
    String registryUrl() {
        return "http://127.0.0.1:" + port + "/apis/registry/v2";
    }

    /** Returns the base URL of the Confluent-compatible API (Confluent Schema Registry v7). */
    String confluentCompatibleUrl() {
        return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    long pid() {
        return process.pid();
    }

    /** Stops the child JVM. Its working directory with the log stays under target/. */
    @Override
    public void close() {
        try {
            keepAlive.close();
        } catch (IOException e) {
            // The child is already gone.
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void awaitReady() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(registryUrl() + "/system/info")).GET().build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Apicurio Registry exited during start with code " + process.exitValue()
                            + "; see " + workDir.resolve("registry.log"));
                }
                try {
                    if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // Not listening yet.
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("Interrupted while Apicurio Registry started", e);
        }
        close();
        throw new IllegalStateException("Apicurio Registry did not respond within " + START_TIMEOUT.toSeconds()
                + " s; see " + workDir.resolve("registry.log"));
    }

    private static Path home() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home == null) {
            throw new IllegalStateException("System property " + HOME_PROPERTY + " is not set; run the test through Maven,"
                    + " which unpacks io.apicurio:apicurio-registry-app:tar.gz:all into target/apicurio-registry and sets it");
        }
        return Path.of(home);
    }

    private static Path runnerJar(Path home) throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(home, "*-runner.jar")) {
            for (Path jar : jars) {
                return jar;
            }
        } catch (NoSuchFileException e) {
            // Reported below with the fix.
        }
        throw new IllegalStateException("No Apicurio Registry runner jar (*-runner.jar) in " + home
                + "; run mvn generate-test-resources in connector/ to unpack it");
    }

    /** Reads the Quarkus main class from the runner jar's manifest; for 2.6.13 it is io.quarkus.runner.GeneratedMain. */
    private static String mainClass(Path runnerJar) throws IOException {
        try (JarFile jar = new JarFile(runnerJar.toFile())) {
            String mainClass = jar.getManifest().getMainAttributes().getValue("Main-Class");
            if (mainClass == null) {
                throw new IllegalStateException("The manifest of " + runnerJar + " has no Main-Class");
            }
            return mainClass;
        }
    }

    /**
     * Copies {@link BoundedLifetimeMain} alone into the working directory, so the child's class
     * path gets that one class and not the whole test class path.
     */
    private static Path copyLauncher(Path workDir) throws IOException {
        Path classes = workDir.resolve("launcher");
        String resource = BoundedLifetimeMain.class.getName().replace('.', '/') + ".class";
        Path target = classes.resolve(resource);
        Files.createDirectories(target.getParent());
        try (InputStream in = BoundedLifetimeMain.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Class file " + resource + " not found on the test class path");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return classes;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
