package io.github.dssesink.connector.config;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * The server-side encryption headers that every upload request of a connector carries: the mode
 * ({@code x-amz-server-side-encryption}), the KMS key ID for the KMS modes, the bucket key flag for
 * {@code aws:kms}, and the SSE-C customer key headers, which S3 requires on every part too.
 */
public final class ServerSideEncryption {

    /** The values of {@code s3.ssea.name}; the empty string means no server-side encryption header. */
    public enum Mode {
        DSSE_KMS("aws:kms:dsse"),
        KMS("aws:kms"),
        AES256("AES256"),
        NONE("");

        private final String headerValue;

        Mode(String headerValue) {
            this.headerValue = headerValue;
        }

        public String headerValue() {
            return headerValue;
        }

        public boolean usesKms() {
            return this == DSSE_KMS || this == KMS;
        }

        /** Parses a {@code s3.ssea.name} value; matching ignores case, as the S3 sinks users migrate from do. */
        public static Mode parse(String value) {
            String trimmed = value == null ? "" : value.trim();
            for (Mode mode : values()) {
                if (mode.headerValue.equalsIgnoreCase(trimmed)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("Unknown server-side encryption algorithm '" + value
                    + "'; use aws:kms:dsse, aws:kms, AES256 or an empty value");
        }
    }

    private static final String SSE_C_ALGORITHM = "AES256";
    private static final int SSE_C_KEY_SIZE_IN_BYTES = 32;

    private final Mode mode;
    private final String kmsKeyId;
    private final boolean bucketKeyEnabled;
    private final String customerKeyBase64;
    private final String customerKeyMd5Base64;

    /**
     * @param kmsKeyId the KMS key for the KMS modes, or null so that S3 uses the AWS managed key aws/s3
     * @param customerKeyBase64 the base64 SSE-C key (32 bytes decoded), or null for no SSE-C
     */
    public ServerSideEncryption(Mode mode, String kmsKeyId, boolean bucketKeyEnabled, String customerKeyBase64) {
        this.mode = mode;
        this.kmsKeyId = blankToNull(kmsKeyId);
        this.bucketKeyEnabled = bucketKeyEnabled;
        this.customerKeyBase64 = blankToNull(customerKeyBase64);
        this.customerKeyMd5Base64 = this.customerKeyBase64 == null ? null : md5Base64(decodeCustomerKey(this.customerKeyBase64));
    }

    /**
     * Decodes and checks an SSE-C key.
     *
     * @throws IllegalArgumentException if the value is not base64 of exactly 32 bytes
     */
    public static byte[] decodeCustomerKey(String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the SSE-C key is not valid base64");
        }
        if (key.length != SSE_C_KEY_SIZE_IN_BYTES) {
            throw new IllegalArgumentException("the SSE-C key must decode to 32 bytes (AES-256), got " + key.length);
        }
        return key;
    }

    public Mode mode() {
        return mode;
    }

    /** Returns the KMS key ID sent with the KMS modes, or null. */
    public String kmsKeyId() {
        return mode.usesKms() ? kmsKeyId : null;
    }

    public boolean customerKeyEnabled() {
        return customerKeyBase64 != null;
    }

    public void apply(PutObjectRequest.Builder request) {
        if (mode != Mode.NONE) {
            request.serverSideEncryption(mode.headerValue());
        }
        if (mode.usesKms() && kmsKeyId != null) {
            request.ssekmsKeyId(kmsKeyId);
        }
        if (mode == Mode.KMS && bucketKeyEnabled) {
            request.bucketKeyEnabled(true);
        }
        if (customerKeyBase64 != null) {
            request.sseCustomerAlgorithm(SSE_C_ALGORITHM).sseCustomerKey(customerKeyBase64).sseCustomerKeyMD5(customerKeyMd5Base64);
        }
    }

    public void apply(CreateMultipartUploadRequest.Builder request) {
        if (mode != Mode.NONE) {
            request.serverSideEncryption(mode.headerValue());
        }
        if (mode.usesKms() && kmsKeyId != null) {
            request.ssekmsKeyId(kmsKeyId);
        }
        if (mode == Mode.KMS && bucketKeyEnabled) {
            request.bucketKeyEnabled(true);
        }
        if (customerKeyBase64 != null) {
            request.sseCustomerAlgorithm(SSE_C_ALGORITHM).sseCustomerKey(customerKeyBase64).sseCustomerKeyMD5(customerKeyMd5Base64);
        }
    }

    public void apply(UploadPartRequest.Builder request) {
        if (customerKeyBase64 != null) {
            request.sseCustomerAlgorithm(SSE_C_ALGORITHM).sseCustomerKey(customerKeyBase64).sseCustomerKeyMD5(customerKeyMd5Base64);
        }
    }

    public void apply(CompleteMultipartUploadRequest.Builder request) {
        if (customerKeyBase64 != null) {
            request.sseCustomerAlgorithm(SSE_C_ALGORITHM).sseCustomerKey(customerKeyBase64).sseCustomerKeyMD5(customerKeyMd5Base64);
        }
    }

    /** Describes the settings for logs, without the SSE-C key. */
    @Override
    public String toString() {
        String name = mode.headerValue();
        if (mode == Mode.NONE) {
            name = customerKeyBase64 != null ? "SSE-C" : "none";
        }
        return name + (kmsKeyId() != null ? " with KMS key " + kmsKeyId : "")
                + (mode == Mode.KMS && bucketKeyEnabled ? " and bucket key" : "");
    }

    private static String md5Base64(byte[] key) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(key));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JDK", e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

}
