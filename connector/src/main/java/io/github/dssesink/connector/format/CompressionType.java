package io.github.dssesink.connector.format;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

import com.github.luben.zstd.ZstdOutputStream;

/** The values of {@code s3.compression.type}, with the suffix each adds to the object key. */
public enum CompressionType {
    NONE(""),
    GZIP(".gz"),
    ZSTD(".zst");

    private static final int GZIP_BUFFER_SIZE_IN_BYTES = 64 * 1024;

    private final String extension;

    CompressionType(String extension) {
        this.extension = extension;
    }

    public String extension() {
        return extension;
    }

    public static CompressionType parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    /**
     * Wraps a stream in a compressor. Closing the returned stream writes the compressed trailer
     * and closes {@code out}, so callers pass a stream whose close only flushes.
     */
    public OutputStream wrap(OutputStream out) throws IOException {
        return switch (this) {
            case NONE -> out;
            case GZIP -> new GZIPOutputStream(out, GZIP_BUFFER_SIZE_IN_BYTES);
            case ZSTD -> new ZstdOutputStream(out);
        };
    }
}
