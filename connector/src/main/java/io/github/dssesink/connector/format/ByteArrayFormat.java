package io.github.dssesink.connector.format;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

import io.github.dssesink.connector.config.DsseS3SinkConfig;

/**
 * Raw bytes: each record value (byte[] or ByteBuffer, as Connect's ByteArrayConverter produces)
 * followed by {@code format.bytearray.separator}. A null value writes only the separator.
 */
public final class ByteArrayFormat implements RecordFormat {

    private byte[] separator = {'\n'};

    @Override
    public void configure(DsseS3SinkConfig config) {
        separator = unescape(config.getString(DsseS3SinkConfig.FORMAT_BYTEARRAY_SEPARATOR)).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String name() {
        return RecordFormats.BYTEARRAY;
    }

    @Override
    public String extension() {
        return "bin";
    }

    @Override
    public boolean supportsCompression() {
        return true;
    }

    @Override
    public RecordWriter newWriter(OutputStream out) {
        return new RecordWriter() {
            @Override
            public long write(SinkRecord record) throws IOException {
                byte[] value = bytes(record);
                out.write(value);
                out.write(separator);
                return (long) value.length + separator.length;
            }

            @Override
            public void finish() {
            }
        };
    }

    private static byte[] bytes(SinkRecord record) {
        Object value = record.value();
        if (value == null) {
            return new byte[0];
        }
        if (value instanceof byte[] array) {
            return array;
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] array = new byte[buffer.remaining()];
            buffer.duplicate().get(array);
            return array;
        }
        throw new DataException("Record " + record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset()
                + " has a value of type " + value.getClass().getName()
                + "; the bytearray format needs byte[] values, as value.converter=org.apache.kafka.connect.converters.ByteArrayConverter produces");
    }

    /** Decodes the escapes \n, \r, \t and \\ so that property files can set control characters. */
    static String unescape(String text) {
        StringBuilder result = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                switch (next) {
                    case 'n' -> result.append('\n');
                    case 'r' -> result.append('\r');
                    case 't' -> result.append('\t');
                    case '\\' -> result.append('\\');
                    default -> result.append(c).append(next);
                }
            } else {
                result.append(c);
            }
        }
        return result.toString();
    }
}
