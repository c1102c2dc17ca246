package io.github.dssesink.cli;

/** A failure that the tool reports as one line on standard error, without a stack trace. */
final class ToolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ToolException(String message) {
        super(message);
    }

    ToolException(String message, Throwable cause) {
        super(message, cause);
    }
}
