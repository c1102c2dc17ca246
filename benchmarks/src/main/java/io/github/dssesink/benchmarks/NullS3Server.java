package io.github.dssesink.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP server on 127.0.0.1 that reads and discards request bodies and returns just enough of the
 * S3 REST protocol (path-style) for the AWS SDK v2 client to upload objects: HeadBucket,
 * CreateBucket, PutObject, CreateMultipartUpload, UploadPart, CompleteMultipartUpload and
 * AbortMultipartUpload. It stores nothing and checks no signature, so a benchmark against it
 * measures the client's own cost. Any other request gets 501 NotImplemented.
 *
 * <p>Without TCP_NODELAY the JDK server delays each response by about 40 ms on loopback; start the
 * JVM with {@code -Dsun.net.httpserver.nodelay=true}, which the JDK reads when it creates its first
 * HttpServer.
 */
final class NullS3Server implements AutoCloseable {

    private static final byte[] LOOPBACK_IPV4 = {127, 0, 0, 1};
    private static final int HANDLER_THREADS = 4;
    private static final int DISCARD_BUFFER_SIZE_IN_BYTES = 64 * 1024;
    /** The ETag of every object and part: the MD5 of nothing, since the server keeps no content. */
    private static final String ETAG = "\"d41d8cd98f00b204e9800998ecf8427e\"";
    private static final String S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

    private final HttpServer httpServer;
    private final ExecutorService executor;
    private final URI endpoint;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong bodyBytes = new AtomicLong();
    /** The payload headers of the first PutObject or UploadPart, to report how the SDK sent bodies. */
    private volatile String firstUploadHeaders;

    private NullS3Server(HttpServer httpServer, ExecutorService executor) {
        this.httpServer = httpServer;
        this.executor = executor;
        this.endpoint = URI.create("http://127.0.0.1:" + httpServer.getAddress().getPort());
    }

    /** Starts a server on an ephemeral port of 127.0.0.1. */
    static NullS3Server start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(LOOPBACK_IPV4), 0), 0);
            AtomicInteger threadCounter = new AtomicInteger();
            ExecutorService executor = Executors.newFixedThreadPool(HANDLER_THREADS, runnable -> {
                Thread thread = new Thread(runnable, "null-s3-handler-" + threadCounter.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            NullS3Server nullServer = new NullS3Server(server, executor);
            server.createContext("/", nullServer::handle);
            server.start();
            return nullServer;
        } catch (IOException e) {
            throw new UncheckedIOException("Starting the null S3 endpoint on 127.0.0.1 failed: " + e.getMessage(), e);
        }
    }

    URI endpoint() {
        return endpoint;
    }

    long requestCount() {
        return requests.get();
    }

    /** Returns the request body bytes read and discarded, as they came over the wire (after any chunked decoding). */
    long bodyBytes() {
        return bodyBytes.get();
    }

    /** Returns the content and checksum headers of the first upload request, or null before one arrived. */
    String firstUploadHeaders() {
        return firstUploadHeaders;
    }

    /** Stops the server at once and its handler threads. */
    @Override
    public void close() {
        httpServer.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            bodyBytes.addAndGet(discard(exchange.getRequestBody()));

            String method = exchange.getRequestMethod();
            Map<String, String> query = parseQuery(exchange.getRequestURI().getRawQuery());
            String path = exchange.getRequestURI().getPath();
            String withoutSlash = path.startsWith("/") ? path.substring(1) : path;
            int slash = withoutSlash.indexOf('/');
            String bucket = slash < 0 ? withoutSlash : withoutSlash.substring(0, slash);
            String key = slash < 0 ? "" : withoutSlash.substring(slash + 1);

            switch (method) {
                case "HEAD" -> exchange.sendResponseHeaders(200, -1);
                case "PUT" -> {
                    if (!key.isEmpty()) {
                        noteUploadHeaders(exchange);
                    }
                    exchange.getResponseHeaders().set("ETag", ETAG);
                    exchange.sendResponseHeaders(200, -1);
                }
                case "POST" -> {
                    if (query.containsKey("uploads")) {
                        sendXml(exchange, 200, "<InitiateMultipartUploadResult xmlns=\"" + S3_NAMESPACE + "\"><Bucket>"
                                + escapeXml(bucket) + "</Bucket><Key>" + escapeXml(key) + "</Key><UploadId>"
                                + UUID.randomUUID() + "</UploadId></InitiateMultipartUploadResult>");
                    } else if (query.containsKey("uploadId")) {
                        sendXml(exchange, 200, "<CompleteMultipartUploadResult xmlns=\"" + S3_NAMESPACE + "\"><Location>"
                                + escapeXml(endpoint + path) + "</Location><Bucket>" + escapeXml(bucket) + "</Bucket><Key>"
                                + escapeXml(key) + "</Key><ETag>" + escapeXml(ETAG) + "</ETag></CompleteMultipartUploadResult>");
                    } else {
                        sendNotImplemented(exchange);
                    }
                }
                case "DELETE" -> exchange.sendResponseHeaders(204, -1);
                default -> sendNotImplemented(exchange);
            }
        }
    }

    private void noteUploadHeaders(HttpExchange exchange) {
        if (firstUploadHeaders != null) {
            return;
        }
        StringBuilder headers = new StringBuilder();
        for (String name : new String[] {"Content-Length", "Content-Encoding", "Transfer-Encoding", "x-amz-content-sha256",
                "x-amz-decoded-content-length", "x-amz-trailer", "x-amz-sdk-checksum-algorithm", "Expect"}) {
            String value = exchange.getRequestHeaders().getFirst(name);
            if (value != null) {
                headers.append(headers.length() == 0 ? "" : ", ").append(name).append(": ").append(value);
            }
        }
        firstUploadHeaders = headers.toString();
    }

    private static long discard(InputStream body) throws IOException {
        byte[] buffer = new byte[DISCARD_BUFFER_SIZE_IN_BYTES];
        long total = 0;
        int read;
        while ((read = body.read(buffer)) != -1) {
            total += read;
        }
        return total;
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> parameters = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String parameter : rawQuery.split("&")) {
            int equals = parameter.indexOf('=');
            parameters.put(equals < 0 ? parameter : parameter.substring(0, equals), equals < 0 ? "" : parameter.substring(equals + 1));
        }
        return parameters;
    }

    private static void sendNotImplemented(HttpExchange exchange) throws IOException {
        sendXml(exchange, 501, "<Error><Code>NotImplemented</Code><Message>The null S3 endpoint does not implement "
                + escapeXml(exchange.getRequestMethod() + " " + exchange.getRequestURI()) + "</Message></Error>");
    }

    private static void sendXml(HttpExchange exchange, int status, String xml) throws IOException {
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + xml).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/xml");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static String escapeXml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
