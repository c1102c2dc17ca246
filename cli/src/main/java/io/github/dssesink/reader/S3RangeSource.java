package io.github.dssesink.reader;

import java.io.InputStream;

import io.github.dssesink.crypto.ByteRangeSource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Byte ranges of one S3 object through GetObject with a Range header. When an ETag is given, every
 * request carries If-Match, so all ranges come from the same version of the object.
 */
public final class S3RangeSource implements ByteRangeSource {
    private final S3Client s3;
    private final S3Location location;
    private final String eTag;

    /** @param eTag the ETag from HEAD, or null to read whatever version is current */
    public S3RangeSource(S3Client s3, S3Location location, String eTag) {
        this.s3 = s3;
        this.location = location;
        this.eTag = eTag;
    }

    @Override
    public InputStream open(long offset, long length) {
        if (length == 0) {
            return InputStream.nullInputStream();
        }
        // HTTP byte ranges are inclusive at both ends.
        String range = "bytes=" + offset + "-" + (offset + length - 1);
        return s3.getObject(request -> request
                .bucket(location.bucket())
                .key(location.key())
                .range(range)
                .ifMatch(eTag));
    }
}
