package io.github.dssesink.demo;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.github.dssesink.kafkalocal.WorkerRestException;

/** Turns exceptions into the one-line messages that DemoMain prints. */
final class ErrorMessages {

    /** The start of the line that Connect appends to every config validation error; the demo prints its own advice instead. */
    private static final String CONNECT_VALIDATE_HINT = "You can also find the above list of errors at the endpoint";

    private ErrorMessages() {
    }

    /**
     * Returns the first line of the error's message. A multi-line message, such as a failed task's
     * trace that the Connect worker reports, also gets its last {@code Caused by:} line, which
     * names the root cause.
     */
    static String summary(Throwable error) {
        String message = error.getMessage();
        if (message == null || message.isBlank()) {
            return error.getClass().getName();
        }
        List<String> lines = message.strip().lines().toList();
        String summary = lines.get(0);
        for (int i = lines.size() - 1; i > 0; i--) {
            String line = lines.get(i).strip();
            if (line.startsWith("Caused by: ")) {
                summary += " ... " + line;
                break;
            }
        }
        return summary;
    }

    /**
     * Returns the {@code message} field of the Connect REST error body in the exception, on one
     * line, or the exception's message if the body is not Connect's JSON error.
     */
    static String connectRestMessage(WorkerRestException error) {
        String text = error.getMessage();
        int bodyStart = text.indexOf('{');
        if (bodyStart < 0) {
            return text;
        }
        JsonNode body;
        try {
            body = JsonMapper.builder().build().readTree(text.substring(bodyStart));
        } catch (JsonProcessingException e) {
            return text;
        }
        if (!body.path("message").isTextual()) {
            return text;
        }
        List<String> lines = new ArrayList<>();
        for (String line : body.path("message").asText().strip().split("\n")) {
            if (!line.isBlank() && !line.startsWith(CONNECT_VALIDATE_HINT)) {
                lines.add(line.strip());
            }
        }
        if (lines.size() <= 1) {
            return String.join("", lines);
        }
        // The first line introduces the list ("... contains the following 2 error(s):"), one error a line.
        return lines.get(0) + " " + String.join("; ", lines.subList(1, lines.size()));
    }
}
