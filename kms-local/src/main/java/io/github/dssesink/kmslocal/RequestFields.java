package io.github.dssesink.kmslocal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads typed fields from a KMS JSON request. A missing required field or a field of the wrong
 * JSON type raises ValidationException. A JSON null counts as absent, as in AWS KMS.
 */
final class RequestFields {

    private RequestFields() {
    }

    static String requiredString(ObjectNode request, String field) {
        String value = optionalString(request, field);
        if (value == null) {
            throw KmsServiceException.validation("Missing required field " + field);
        }
        return value;
    }

    static String optionalString(ObjectNode request, String field) {
        JsonNode node = request.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw KmsServiceException.validation("Field " + field + " must be a string, got " + node.getNodeType());
        }
        return node.textValue();
    }

    static Integer optionalInt(ObjectNode request, String field) {
        JsonNode node = request.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw KmsServiceException.validation("Field " + field + " must be an integer, got " + node);
        }
        return node.intValue();
    }

    static boolean optionalBoolean(ObjectNode request, String field) {
        JsonNode node = request.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw KmsServiceException.validation("Field " + field + " must be a boolean, got " + node);
        }
        return node.booleanValue();
    }

    /**
     * Reads a base64 blob field whose decoded length must lie in [minBytes, maxBytes].
     */
    static byte[] requiredBlob(ObjectNode request, String field, int minBytes, int maxBytes) {
        String encoded = requiredString(request, field);
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw KmsServiceException.validation("Field " + field + " is not valid base64: " + e.getMessage());
        }
        if (bytes.length < minBytes || bytes.length > maxBytes) {
            throw KmsServiceException.validation("Field " + field + " must be " + minBytes + " to " + maxBytes
                    + " bytes long, got " + bytes.length);
        }
        return bytes;
    }

    /**
     * Reads an encryption context: a JSON object of string values, sorted by key. An absent
     * context and an empty one are the same, as in AWS KMS.
     */
    static SortedMap<String, String> encryptionContext(ObjectNode request, String field) {
        SortedMap<String, String> context = new TreeMap<>();
        JsonNode node = request.get(field);
        if (node == null || node.isNull()) {
            return context;
        }
        if (!node.isObject()) {
            throw KmsServiceException.validation("Field " + field + " must be a JSON object of strings, got "
                    + node.getNodeType());
        }

        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isTextual()) {
                throw KmsServiceException.validation("Value of " + field + " entry '" + entry.getKey()
                        + "' must be a string, got " + entry.getValue().getNodeType());
            }
            context.put(entry.getKey(), entry.getValue().textValue());
        }
        return context;
    }
}
