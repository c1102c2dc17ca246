package io.github.dssesink.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.dssesink.crypto.EnvelopeEncryptor;
import io.github.dssesink.crypto.KeyBlock;
import io.github.dssesink.reader.DsseReader;
import io.github.dssesink.reader.ObjectInfo;
import io.github.dssesink.reader.ObjectReadException;
import io.github.dssesink.reader.S3Location;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Prints what S3 and the envelope header report about objects, without decrypting them. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print S3 server-side encryption and key, format version, algorithms, frame size, KMS key ID and encryption"
                + " context per layer, topic, partition, offset range and record count of objects. Reads HEAD and the header only;"
                + " an object that the connector wrote without client-side encryption is reported from HEAD alone.")
final class InspectCommand extends ObjectCommand implements Callable<Integer> {
    static final String UNKNOWN = "unknown";

    @Parameters(paramLabel = "s3://BUCKET/KEY", arity = "1..*", description = "Objects to inspect.")
    List<String> objects;

    @Option(names = "--count-records", description = "When the connector did not record the count (multipart uploads), decrypt"
            + " the object and count newline-separated records (formats json and bytearray with the default separator).")
    boolean countRecords;

    @Option(names = "--json", description = "Print one JSON document with an entry per object. Partition, offsets and record"
            + " count are numbers when the connector recorded integers, and null when unknown.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        int exitCode = EXIT_OK;
        List<Map<String, Object>> reports = new java.util.ArrayList<>();
        try (Clients clients = clients()) {
            DsseReader reader = clients.readerBuilder().build();
            for (String uri : objects) {
                S3Location location = location(uri);
                try {
                    ObjectInfo info = reader.inspect(location);
                    Map<String, Object> report = report(info, recordCount(reader, info));
                    if (json) {
                        reports.add(report);
                    } else {
                        printText(out(), report);
                    }
                } catch (ObjectReadException e) {
                    printFailure(e);
                    exitCode = EXIT_FAILED;
                }
            }
        }
        if (json) {
            out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(Map.of("objects", reports)));
        }
        out().flush();
        return exitCode;
    }

    /**
     * A record count, or null when unknown, with a note on where it came from or why it is unknown.
     * The count is a string when the recorded metadata is not a number.
     */
    private record RecordCount(Object count, String note) {
    }

    /** Returns the recorded record count, or a count by decrypting when requested and possible. */
    private RecordCount recordCount(DsseReader reader, ObjectInfo info) {
        if (info.recordCount() != null) {
            return new RecordCount(numberOrText(info.recordCount()), null);
        }
        if (!countRecords) {
            return new RecordCount(null, null);
        }
        if (!info.clientSideEncrypted()) {
            return new RecordCount(null, "--count-records reads only objects with client-side encryption");
        }
        String format = info.format();
        if (!"json".equals(format) && !"bytearray".equals(format)) {
            return new RecordCount(null, "cannot count records of format '" + format + "'");
        }
        String key = info.location().key();
        if (key.endsWith(".zst")) {
            return new RecordCount(null, "zstd-compressed objects are not counted");
        }
        try (InputStream plaintext = reader.open(info.location());
             InputStream records = key.endsWith(".gz") ? new GZIPInputStream(plaintext) : plaintext) {
            return new RecordCount(countLines(records), "counted by decrypting");
        } catch (IOException | RuntimeException e) {
            throw ObjectReadException.of(info.location(), e);
        }
    }

    /**
     * Counts newline-terminated records; a last record without a newline counts too.
     * NOTE: bytearray objects written with a custom format.bytearray.separator are miscounted.
     */
    static long countLines(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long lines = 0;
        int last = '\n';
        int n;
        while ((n = in.read(buffer)) > 0) {
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    lines++;
                }
            }
            last = buffer[n - 1];
        }
        return last == '\n' ? lines : lines + 1;
    }

    /** Returns the metadata value as a Long when it is an integer, else the text as recorded, or null when absent. */
    static Object numberOrText(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return value;
        }
    }

    private static Map<String, Object> report(ObjectInfo info, RecordCount recordCount) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("object", info.location().toString());
        report.put("objectLength", info.objectLength());
        report.put("contentType", info.contentType());
        report.put("serverSideEncryption", info.serverSideEncryption());
        report.put("sseKmsKeyId", info.sseKmsKeyId());
        report.put("clientSideEncryption", info.clientSideEncrypted());
        ObjectInfo.Envelope envelope = info.envelope();
        if (envelope != null) {
            report.put("formatVersion", envelope.formatVersion());
            report.put("frameSize", envelope.frameSizeInBytes());
            report.put("frameCount", envelope.frameCount());
            report.put("plaintextLength", envelope.plaintextLength());
            report.put("encryptionContext", envelope.encryptionContext());
            report.put("layer1", layer(envelope, 1, ObjectInfo.LAYER1_ALGORITHM));
            report.put("layer2", layer(envelope, 2, ObjectInfo.LAYER2_ALGORITHM));
        }
        report.put("topic", info.topic());
        report.put("partition", numberOrText(info.partition()));
        report.put("startOffset", numberOrText(info.startOffset()));
        report.put("endOffset", numberOrText(info.endOffset()));
        report.put("recordCount", recordCount.count());
        if (recordCount.note() != null) {
            report.put("recordCountNote", recordCount.note());
        }
        report.put("format", info.format());
        return report;
    }

    private static Map<String, Object> layer(ObjectInfo.Envelope envelope, int layer, String algorithm) {
        KeyBlock.WrappedKey wrapped = envelope.keyBlock().layer(layer);
        SortedMap<String, String> context = new TreeMap<>(envelope.encryptionContext());
        context.put(EnvelopeEncryptor.LAYER_CONTEXT_KEY, Integer.toString(layer));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("algorithm", algorithm);
        report.put("keyProvider", wrapped.provider().configName());
        report.put("kmsKeyId", wrapped.keyId());
        report.put("encryptionContext", context);
        return report;
    }

    @SuppressWarnings("unchecked")
    private static void printText(PrintWriter out, Map<String, Object> report) {
        out.println(report.get("object"));
        line(out, "Object length", report.get("objectLength") + " bytes");
        line(out, "Content type", report.get("contentType"));
        line(out, "S3 encryption", orNone(report.get("serverSideEncryption")));
        line(out, "S3 KMS key ID", orNone(report.get("sseKmsKeyId")));
        if (Boolean.TRUE.equals(report.get("clientSideEncryption"))) {
            line(out, "Client-side encryption", "two layers");
            line(out, "Format version", report.get("formatVersion"));
            line(out, "Frame size", report.get("frameSize") + " bytes");
            line(out, "Frames", report.get("frameCount"));
            line(out, "Plaintext length", report.get("plaintextLength") + " bytes");
            for (String layer : List.of("layer1", "layer2")) {
                Map<String, Object> details = (Map<String, Object>) report.get(layer);
                String name = "Layer " + layer.charAt(layer.length() - 1);
                line(out, name + " algorithm", details.get("algorithm"));
                line(out, name + " KMS key ID", details.get("kmsKeyId") + " (" + details.get("keyProvider") + ")");
                line(out, name + " context", formatContext((Map<String, String>) details.get("encryptionContext")));
            }
        } else {
            line(out, "Client-side encryption", "none");
        }
        line(out, "Topic", orNone(report.get("topic")));
        line(out, "Partition", orNone(report.get("partition")));
        line(out, "Offsets", orNone(report.get("startOffset")) + " to " + orUnknown(report.get("endOffset")));
        Object note = report.get("recordCountNote");
        line(out, "Record count", orUnknown(report.get("recordCount")) + (note == null ? "" : " (" + note + ")"));
        line(out, "Format", orNone(report.get("format")));
    }

    private static void line(PrintWriter out, String name, Object value) {
        out.printf("  %-24s %s%n", name + ":", value);
    }

    private static Object orNone(Object value) {
        return value == null ? "(none)" : value;
    }

    private static Object orUnknown(Object value) {
        return value == null ? UNKNOWN : value;
    }

    private static String formatContext(Map<String, String> context) {
        StringBuilder text = new StringBuilder();
        context.forEach((key, value) -> text.append(text.length() == 0 ? "" : ", ").append(key).append('=').append(value));
        return text.toString();
    }
}
