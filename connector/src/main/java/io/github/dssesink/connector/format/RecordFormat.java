package io.github.dssesink.connector.format;

import java.io.OutputStream;

import io.github.dssesink.connector.config.DsseS3SinkConfig;

/**
 * An object format: how records become the plaintext bytes of one object. A new format (Parquet,
 * for example) is one class implementing this interface with a public no-argument constructor.
 */
public interface RecordFormat {

    void configure(DsseS3SinkConfig config);

    /** Returns the name stored in the object's {@code dsse-format} metadata, such as {@code json}. */
    String name();

    /** Returns the file extension without the dot and without a compression suffix. */
    String extension();

    /** Returns whether {@code s3.compression.type} may wrap this format's output; container formats compress inside. */
    boolean supportsCompression();

    /** Starts one object. The writer never closes {@code out}. */
    RecordWriter newWriter(OutputStream out);
}
