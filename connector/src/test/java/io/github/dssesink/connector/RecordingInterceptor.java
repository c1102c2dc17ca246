package io.github.dssesink.connector;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Records the HTTP headers of every S3 request and response in this JVM. The SDK loads it for
 * every S3 client through the classpath file
 * {@code software/amazon/awssdk/services/s3/execution.interceptors}, so the connector needs no
 * test hook.
 */
public final class RecordingInterceptor implements ExecutionInterceptor {

    /** One request as sent and the response headers that came back. */
    record Exchange(String operation, String path, Map<String, List<String>> requestHeaders,
                    int status, Map<String, List<String>> responseHeaders) {

        String requestHeader(String name) {
            return first(requestHeaders, name);
        }

        String responseHeader(String name) {
            return first(responseHeaders, name);
        }

        private static String first(Map<String, List<String>> headers, String name) {
            for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                    return entry.getValue().get(0);
                }
            }
            return null;
        }
    }

    static final List<Exchange> EXCHANGES = new CopyOnWriteArrayList<>();

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        EXCHANGES.add(new Exchange(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                java.net.URI.create("http://host" + context.httpRequest().encodedPath()).getPath(),
                context.httpRequest().headers(),
                context.httpResponse().statusCode(), context.httpResponse().headers()));
    }

    /** Returns the recorded exchanges of one operation whose path contains {@code pathPart}. */
    static List<Exchange> find(String operation, String pathPart) {
        return EXCHANGES.stream()
                .filter(exchange -> exchange.operation().equals(operation) && exchange.path().contains(pathPart))
                .toList();
    }
}
