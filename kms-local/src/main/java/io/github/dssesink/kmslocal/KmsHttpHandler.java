package io.github.dssesink.kmslocal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code POST /} requests of the AWS JSON 1.1 protocol: it reads the operation from the
 * {@code X-Amz-Target: TrentService.<Operation>} header, runs it, records the call, and sends the
 * JSON response or a JSON error body that the AWS SDK maps to its exception classes.
 */
final class KmsHttpHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(KmsHttpHandler.class);

    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final String TARGET_PREFIX = "TrentService.";
    /** AWS KMS requests are a few KiB at most; a larger body is rejected without being parsed. */
    private static final int MAX_REQUEST_BODY_BYTES = 1 << 20;
    private static final int HTTP_OK = 200;
    private static final int HTTP_BAD_REQUEST = 400;
    private static final int HTTP_NOT_FOUND = 404;
    private static final int HTTP_METHOD_NOT_ALLOWED = 405;
    private static final int HTTP_INTERNAL_ERROR = 500;

    private final KmsOperations operations;
    private final CallLog callLog;
    private final ObjectMapper mapper;

    KmsHttpHandler(KmsOperations operations, CallLog callLog, ObjectMapper mapper) {
        this.operations = operations;
        this.callLog = callLog;
        this.mapper = mapper;
    }

    @Override
    public void handle(HttpExchange exchange) {
        try {
            Response response = process(exchange);
            send(exchange, response);
        } catch (IOException e) {
            LOG.warn("Failed to read a KMS request from {} or send its response: {}",
                    exchange.getRemoteAddress(), e.toString());
        } finally {
            exchange.close();
        }
    }

    private Response process(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            return Response.error(HTTP_METHOD_NOT_ALLOWED, KmsServiceException.UNSUPPORTED_OPERATION,
                    "Method " + exchange.getRequestMethod() + " is not supported; send POST / with an "
                            + "X-Amz-Target header");
        }
        if (!"/".equals(exchange.getRequestURI().getPath())) {
            return Response.error(HTTP_NOT_FOUND, KmsServiceException.UNSUPPORTED_OPERATION,
                    "Path " + exchange.getRequestURI().getPath() + " is not served; send POST /");
        }
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target == null || !target.startsWith(TARGET_PREFIX)) {
            return Response.error(HTTP_BAD_REQUEST, KmsServiceException.UNSUPPORTED_OPERATION,
                    "Missing or invalid X-Amz-Target header '" + target + "'; expected TrentService.<Operation>");
        }

        CallTrace trace = new CallTrace(target.substring(TARGET_PREFIX.length()));
        try {
            KmsOperations.Operation operation = operations.find(trace.operation());
            ObjectNode request = parseRequest(exchange.getRequestBody());
            ObjectNode response = operation.apply(request, trace);
            record(trace, null);
            return new Response(HTTP_OK, response);
        } catch (KmsServiceException e) {
            record(trace, e.errorType());
            return Response.error(HTTP_BAD_REQUEST, e.errorType(), e.getMessage());
        } catch (RuntimeException e) {
            record(trace, KmsServiceException.INTERNAL);
            LOG.error("KMS {} on key {} failed with an unexpected error", trace.operation(), trace.keyArn(), e);
            return Response.error(HTTP_INTERNAL_ERROR, KmsServiceException.INTERNAL,
                    "Internal error of the local KMS server: " + e);
        }
    }

    private ObjectNode parseRequest(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_REQUEST_BODY_BYTES + 1);
        if (bytes.length > MAX_REQUEST_BODY_BYTES) {
            throw KmsServiceException.validation("Request body is larger than " + MAX_REQUEST_BODY_BYTES + " bytes");
        }

        JsonNode json;
        try {
            json = mapper.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw KmsServiceException.serialization("Request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            throw KmsServiceException.serialization("Request body must be a JSON object, got "
                    + (json == null || json.isMissingNode() ? "an empty body" : json.getNodeType().toString()));
        }
        return (ObjectNode) json;
    }

    private void record(CallTrace trace, String errorType) {
        callLog.add(trace.toCall(errorType));
        LOG.debug("KMS {} key={} result={}", trace.operation(), trace.keyArn(),
                errorType == null ? "OK" : errorType);
    }

    private void send(HttpExchange exchange, Response response) throws IOException {
        byte[] body = mapper.writeValueAsBytes(response.body());
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(response.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private record Response(int status, ObjectNode body) {

        static Response error(int status, String errorType, String message) {
            ObjectNode body = JsonNodeFactory.instance.objectNode()
                    .put("__type", errorType)
                    .put("message", message);
            return new Response(status, body);
        }
    }
}
