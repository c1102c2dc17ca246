package io.github.dssesink.kafkalocal;

/** An error status that the Connect worker's REST API returned, with the response body in the message. */
public final class WorkerRestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int statusCode;

    WorkerRestException(int statusCode, String message) {
        super(message);
        this.statusCode = statusCode;
    }

    /** Returns the HTTP status code, for example 404 for a connector that does not exist. */
    public int statusCode() {
        return statusCode;
    }
}
