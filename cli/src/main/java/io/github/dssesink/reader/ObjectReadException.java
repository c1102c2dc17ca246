package io.github.dssesink.reader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

import io.github.dssesink.crypto.EnvelopeException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A failure to read, check or re-wrap one object. The message is one line: the object's
 * {@code s3://} URI, then the cause in plain words, so a command can print it as it is.
 */
public class ObjectReadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The category of a failure. */
    public enum Kind {
        /** The bucket or object does not exist. */
        NOT_FOUND,
        /** S3 denied the request. */
        S3_ACCESS_DENIED,
        /** Another S3 error, or S3 could not be reached. */
        S3_ERROR,
        /** The object is not a DSSE Sink object, or its header, frames or key block are invalid or modified. */
        INVALID_OBJECT,
        /** A KMS key is not allowed, missing, disabled, denied or not the one that wrapped the data key. */
        KEY,
        /** The object's S3 server-side encryption settings are missing or not the expected ones. */
        SERVER_SIDE_ENCRYPTION,
        /** The request itself is invalid, such as a byte range outside the object. */
        INVALID_REQUEST,
        /** Reading the response stream failed. */
        IO
    }

    private final transient S3Location location;
    private final Kind kind;
    private final String causeLine;

    public ObjectReadException(S3Location location, Kind kind, String cause, Throwable source) {
        super(location + ": " + cause, source);
        this.location = Objects.requireNonNull(location, "location");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.causeLine = cause;
    }

    public S3Location location() {
        return location;
    }

    public Kind kind() {
        return kind;
    }

    /** Returns the cause in plain words, without the object URI. */
    public String causeLine() {
        return causeLine;
    }

    /**
     * Converts an exception from the AWS SDK, the envelope library or a decrypting stream into an
     * {@code ObjectReadException} for {@code location}; one that already is one is returned as it is.
     */
    public static ObjectReadException of(S3Location location, Throwable error) {
        if (error instanceof ObjectReadException read) {
            return read;
        }
        Throwable cause = unwrap(error);
        if (cause instanceof EnvelopeException envelope) {
            return new ObjectReadException(location, kindOf(envelope.reason()), oneLine(envelope.getMessage()), envelope);
        }
        if (cause instanceof NoSuchKeyException) {
            return new ObjectReadException(location, Kind.NOT_FOUND, "object not found", cause);
        }
        if (cause instanceof NoSuchBucketException) {
            return new ObjectReadException(location, Kind.NOT_FOUND, "bucket '" + location.bucket() + "' not found", cause);
        }
        if (cause instanceof S3Exception s3) {
            return fromS3(location, s3);
        }
        if (cause instanceof SdkClientException client) {
            return new ObjectReadException(location, Kind.S3_ERROR, "request failed: " + oneLine(client.getMessage()), cause);
        }
        if (cause instanceof SdkException sdk) {
            return new ObjectReadException(location, Kind.S3_ERROR, oneLine(sdk.getMessage()), cause);
        }
        if (cause instanceof IOException io) {
            return new ObjectReadException(location, Kind.IO, "read failed: " + oneLine(io.getMessage()), cause);
        }
        return new ObjectReadException(location, Kind.S3_ERROR, cause.getClass().getSimpleName() + ": " + oneLine(cause.getMessage()), cause);
    }

    private static ObjectReadException fromS3(S3Location location, S3Exception s3) {
        String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
        // HEAD responses carry no error body, so a missing object is only a 404 status there.
        if (s3.statusCode() == 404) {
            String message = "NoSuchBucket".equals(code) ? "bucket '" + location.bucket() + "' not found" : "object not found";
            return new ObjectReadException(location, Kind.NOT_FOUND, message, s3);
        }
        if (s3.statusCode() == 403) {
            return new ObjectReadException(location, Kind.S3_ACCESS_DENIED,
                    "S3 access denied" + (code == null ? "" : " (" + code + ")") + "; check the bucket policy and the caller's IAM permissions", s3);
        }
        if (s3.statusCode() == 412) {
            return new ObjectReadException(location, Kind.S3_ERROR,
                    "the object changed while it was being read (ETag precondition failed); run the command again", s3);
        }
        return new ObjectReadException(location, Kind.S3_ERROR, "S3 returned HTTP " + s3.statusCode()
                + (code == null ? "" : " " + code) + ": " + oneLine(s3.getMessage()), s3);
    }

    private static Kind kindOf(EnvelopeException.Reason reason) {
        return switch (reason) {
            case HEADER, UNSUPPORTED_VERSION, FRAME, TRUNCATED, COMMITMENT, KEY_BLOCK, CONTEXT_MISMATCH -> Kind.INVALID_OBJECT;
            case KEY_NOT_ALLOWED, WRONG_KEY_OR_CONTEXT, KEY_NOT_FOUND, KEY_DISABLED, ACCESS_DENIED, INVALID_KEY_USAGE,
                    KEY_SERVICE_UNAVAILABLE -> Kind.KEY;
            case INVALID_ARGUMENT -> Kind.INVALID_REQUEST;
            case IO -> Kind.IO;
        };
    }

    /** Finds the envelope or SDK exception that a stream or executor wrapped. */
    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        for (int depth = 0; depth < 5 && current.getCause() != null; depth++) {
            if (current instanceof EnvelopeException || current instanceof SdkException) {
                return current;
            }
            if (current instanceof IOException || current instanceof UncheckedIOException
                    || current instanceof java.util.concurrent.ExecutionException
                    || current instanceof java.util.concurrent.CompletionException) {
                current = current.getCause();
            } else {
                break;
            }
        }
        return current;
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "no details";
        }
        return message.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
