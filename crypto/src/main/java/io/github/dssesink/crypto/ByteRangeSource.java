package io.github.dssesink.crypto;

import java.io.IOException;
import java.io.InputStream;

/** Random access to a stored object, such as S3 GetObject with a Range header or a local file. */
@FunctionalInterface
public interface ByteRangeSource {
    /** Opens a stream of bytes [offset, offset + length) of the stored object. */
    InputStream open(long offset, long length) throws IOException;
}
