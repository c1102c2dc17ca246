package io.github.dssesink.kmslocal;

/**
 * An AWS KMS error that the server sends back as HTTP 400 with the JSON body
 * {@code {"__type": errorType, "message": message}}.
 *
 * <p>The AWS SDK maps the {@code __type} to the class of the same name in
 * {@code software.amazon.awssdk.services.kms.model}, or to its base class {@code KmsException}
 * when the SDK has no such class ({@code ValidationException}, {@code AccessDeniedException},
 * {@code SerializationException}).
 */
final class KmsServiceException extends RuntimeException {

    static final String NOT_FOUND = "NotFoundException";
    static final String DISABLED = "DisabledException";
    static final String INVALID_CIPHERTEXT = "InvalidCiphertextException";
    static final String INCORRECT_KEY = "IncorrectKeyException";
    static final String INVALID_KEY_USAGE = "InvalidKeyUsageException";
    static final String VALIDATION = "ValidationException";
    static final String ALREADY_EXISTS = "AlreadyExistsException";
    static final String ACCESS_DENIED = "AccessDeniedException";
    static final String UNSUPPORTED_OPERATION = "UnsupportedOperationException";
    static final String SERIALIZATION = "SerializationException";
    /** The wire name of the SDK's {@code KmsInternalException}, which the server sends with HTTP 500. */
    static final String INTERNAL = "KMSInternalException";

    private final String errorType;

    private KmsServiceException(String errorType, String message) {
        super(message, null, false, false);
        this.errorType = errorType;
    }

    String errorType() {
        return errorType;
    }

    static KmsServiceException notFound(String message) {
        return new KmsServiceException(NOT_FOUND, message);
    }

    static KmsServiceException disabled(String message) {
        return new KmsServiceException(DISABLED, message);
    }

    static KmsServiceException invalidCiphertext(String message) {
        return new KmsServiceException(INVALID_CIPHERTEXT, message);
    }

    static KmsServiceException incorrectKey(String message) {
        return new KmsServiceException(INCORRECT_KEY, message);
    }

    static KmsServiceException invalidKeyUsage(String message) {
        return new KmsServiceException(INVALID_KEY_USAGE, message);
    }

    static KmsServiceException validation(String message) {
        return new KmsServiceException(VALIDATION, message);
    }

    static KmsServiceException alreadyExists(String message) {
        return new KmsServiceException(ALREADY_EXISTS, message);
    }

    static KmsServiceException accessDenied(String message) {
        return new KmsServiceException(ACCESS_DENIED, message);
    }

    static KmsServiceException unsupportedOperation(String message) {
        return new KmsServiceException(UNSUPPORTED_OPERATION, message);
    }

    static KmsServiceException serialization(String message) {
        return new KmsServiceException(SERIALIZATION, message);
    }
}
