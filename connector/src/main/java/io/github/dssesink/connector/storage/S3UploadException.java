package io.github.dssesink.connector.storage;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** An S3 request that failed after the SDK's retries, naming the request, bucket and key. */
public final class S3UploadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean retriable;

    public S3UploadException(String request, String bucket, String key, SdkException cause) {
        super(request + " of s3://" + bucket + "/" + key + " failed: " + describe(cause), cause);
        this.retriable = isRetriable(cause);
    }

    /**
     * Returns true for failures that a later attempt may fix: throttling, 5xx and network errors.
     * Client errors such as 403 AccessDenied or 404 NoSuchBucket need a config or policy change.
     */
    public boolean retriable() {
        return retriable;
    }

    private static boolean isRetriable(SdkException cause) {
        if (cause instanceof AwsServiceException service) {
            return service.statusCode() >= 500 || service.isThrottlingException() || service.statusCode() == 408;
        }
        return cause.retryable() || cause.getCause() instanceof java.io.IOException;
    }

    private static String describe(SdkException cause) {
        if (cause instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            return service.statusCode() + " " + service.awsErrorDetails().errorCode() + ": "
                    + service.awsErrorDetails().errorMessage();
        }
        return cause.getMessage();
    }
}
