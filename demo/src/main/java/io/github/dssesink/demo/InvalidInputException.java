package io.github.dssesink.demo;

/**
 * An input file, connector config or option value that the demo cannot use. The message names the
 * value, the file and line where known, and the fix; DemoMain prints it as one line and exits with
 * status 2.
 */
final class InvalidInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InvalidInputException(String message) {
        super(message);
    }

    InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
