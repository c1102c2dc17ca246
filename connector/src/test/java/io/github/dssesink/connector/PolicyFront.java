package io.github.dssesink.connector;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP front on 127.0.0.1 that forwards to S3Mock and returns an S3 error for some requests
 * instead. By default it enforces what a bucket policy with
 * {@code "StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms:dsse"}} on s3:PutObject
 * enforces: PutObject and CreateMultipartUpload without that header get 403 AccessDenied.
 * UploadPart and CompleteMultipartUpload pass, as they do under such a policy.
 */
final class PolicyFront implements AutoCloseable {

    /** An S3 error response. */
    record S3Error(int status, String code, String message) {
    }

    /** Returns the error for a request, or null to forward it. Called on the front's threads, one request at a time. */
    @FunctionalInterface
    interface Rule {
        S3Error check(String method, String query, String serverSideEncryption);
    }

    private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive");

    /** Denies PutObject and CreateMultipartUpload without {@code x-amz-server-side-encryption: aws:kms:dsse}. */
    static final Rule REQUIRE_DSSE = (method, query, sse) -> {
        boolean putObject = method.equals("PUT") && (query == null || !query.contains("partNumber="));
        boolean createUpload = method.equals("POST") && query != null && query.startsWith("uploads");
        return (putObject || createUpload) && !"aws:kms:dsse".equals(sse) ? new S3Error(403, "AccessDenied", "Access Denied") : null;
    };

    /** Returns 503 SlowDown for the first {@code count} PutObject and UploadPart requests, as S3 does when throttling. */
    static Rule slowDownFirstUploads(int count) {
        AtomicInteger remaining = new AtomicInteger(count);
        return (method, query, sse) -> method.equals("PUT") && remaining.getAndDecrement() > 0
                ? new S3Error(503, "SlowDown", "Please reduce your request rate.") : null;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "policy-front");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient client = HttpClient.newHttpClient();
    private final URI target;
    private final Rule rule;
    /** The number of requests that got an error response. */
    final AtomicInteger denied = new AtomicInteger();

    PolicyFront(URI target) throws IOException {
        this(target, REQUIRE_DSSE);
    }

    PolicyFront(URI target, Rule rule) throws IOException {
        this.target = target;
        this.rule = rule;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String sse = exchange.getRequestHeaders().getFirst("x-amz-server-side-encryption");
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            S3Error error;
            synchronized (rule) {
                error = rule.check(exchange.getRequestMethod(), exchange.getRequestURI().getRawQuery(), sse);
            }
            if (error != null) {
                denied.incrementAndGet();
                byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + error.code() + "</Code><Message>"
                        + error.message() + "</Message><RequestId>policy-front</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/xml");
                exchange.sendResponseHeaders(error.status(), xml.length);
                exchange.getResponseBody().write(xml);
                return;
            }
            forward(exchange, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            if (!HOP_HEADERS.contains(header.getKey().toLowerCase())) {
                header.getValue().forEach(value -> request.header(header.getKey(), value));
            }
        }
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        response.headers().map().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase()) && !name.startsWith(":")) {
                values.forEach(value -> exchange.getResponseHeaders().add(name, value));
            }
        });
        byte[] responseBody = response.body();
        boolean noBody = exchange.getRequestMethod().equals("HEAD") || responseBody.length == 0;
        exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : responseBody.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(responseBody);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
