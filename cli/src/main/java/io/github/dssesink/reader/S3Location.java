package io.github.dssesink.reader;

import java.util.Objects;

/**
 * A bucket and an object key or key prefix, parsed from an {@code s3://bucket/key} URI. The key
 * may be empty, which as a prefix selects the whole bucket.
 */
public record S3Location(String bucket, String key) {
    private static final String SCHEME = "s3://";

    public S3Location {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
    }

    /**
     * Parses {@code s3://bucket/key}.
     *
     * @throws IllegalArgumentException if the URI does not start with {@code s3://} or names no bucket
     */
    public static S3Location parse(String uri) {
        if (uri == null || !uri.startsWith(SCHEME)) {
            throw new IllegalArgumentException("Invalid S3 URI '" + uri + "': expected s3://bucket/key");
        }
        String rest = uri.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("Invalid S3 URI '" + uri + "': the bucket name is missing");
        }
        return new S3Location(bucket, key);
    }

    /** Returns the location of another object in the same bucket. */
    public S3Location withKey(String otherKey) {
        return new S3Location(bucket, otherKey);
    }

    @Override
    public String toString() {
        return SCHEME + bucket + "/" + key;
    }
}
