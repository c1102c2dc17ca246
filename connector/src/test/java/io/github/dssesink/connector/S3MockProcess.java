package io.github.dssesink.connector;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs S3Mock's executable jar as a child process on 127.0.0.1, so its Spring Boot classpath stays
 * apart from Kafka's. A shell wrapper kills the server when the test JVM's end of its standard
 * input closes, so the server stops by itself even if the JVM dies without running hooks.
 */
final class S3MockProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final OutputStream keepAlive;
    private final URI endpoint;

    private S3MockProcess(Process process, URI endpoint) {
        this.process = process;
        this.keepAlive = process.getOutputStream();
        this.endpoint = endpoint;
    }

    static S3MockProcess start() throws IOException, InterruptedException {
        String jar = System.getProperty("s3mock.jar", "target/s3mock/s3mock.jar");
        if (!Files.exists(Path.of(jar))) {
            throw new IllegalStateException("S3Mock jar " + jar + " is missing; run the build through Maven, which copies it");
        }
        int httpPort = freePort();
        Path root = Files.createTempDirectory("s3mock-");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = String.join(" ", List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx768m",
                "-jar", jar, "--server.address=127.0.0.1", "--server.port=0",
                "--com.adobe.testing.s3mock.httpPort=" + httpPort,
                "--com.adobe.testing.s3mock.store.root=" + root,
                "--logging.level.root=WARN"));
        // The wrapper waits for EOF on its standard input, which the test JVM keeps open, then kills the server.
        String script = command + " >" + root + "/s3mock.log 2>&1 & server=$!; cat >/dev/null; kill $server; wait $server";
        Process process = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        S3MockProcess server = new S3MockProcess(process, URI.create("http://127.0.0.1:" + httpPort));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "s3mock-stop"));
        server.awaitReady(root);
        return server;
    }

    URI endpoint() {
        return endpoint;
    }

    private void awaitReady(Path root) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Mock exited during start; see " + root + "/s3mock.log");
            }
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(endpoint.resolve("/")).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        close();
        throw new IllegalStateException("S3Mock did not answer on " + endpoint + " within " + START_TIMEOUT);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        try {
            keepAlive.close();
        } catch (IOException e) {
            // The wrapper is already gone.
        }
        process.destroy();
    }
}
