package io.github.dssesink.connector.storage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.dssesink.connector.config.ServerSideEncryption;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Uploads one S3 object as it is written, holding at most one part in memory. The first time a
 * full part ({@code partSize} bytes) is buffered, it starts a multipart upload and sends the part;
 * {@link #complete} sends the last part and completes the upload. An object that completes before
 * one part fills goes as one PutObject, which also carries the completion metadata. Every
 * PutObject and CreateMultipartUpload carries the server-side encryption headers, and every
 * UploadPart the SSE-C headers when SSE-C is on. Not thread-safe.
 *
 * <p>Failures of S3 calls surface as {@link S3UploadException}; the SDK has already retried them.
 */
public final class S3PartOutputStream extends OutputStream {

    private static final Logger log = LoggerFactory.getLogger(S3PartOutputStream.class);
    private static final int INITIAL_BUFFER_SIZE_IN_BYTES = 64 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final int partSize;
    private final ServerSideEncryption sse;
    private final UploadListener listener;
    private final Map<String, String> metadata = new HashMap<>();
    private final List<CompletedPart> parts = new ArrayList<>();
    private PartBuffer buffer = new PartBuffer(INITIAL_BUFFER_SIZE_IN_BYTES);
    private String uploadId;
    private long bytesWritten;
    private boolean done;

    /** Receives the duration of each S3 request, for metrics. */
    @FunctionalInterface
    public interface UploadListener {
        void requestCompleted(long nanos, long bytes);
    }

    public S3PartOutputStream(S3Client s3, String bucket, String key, int partSize, ServerSideEncryption sse,
                              UploadListener listener) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.partSize = partSize;
        this.sse = sse;
        this.listener = listener;
    }

    /** Adds user metadata (without the x-amz-meta- prefix); call before the first part is sent. */
    public void putMetadata(String name, String value) {
        if (uploadId != null) {
            throw new IllegalStateException("metadata must be set before the multipart upload of " + key + " starts");
        }
        metadata.put(name, value);
    }

    public String key() {
        return key;
    }

    /** Returns true once the object is larger than one part and its multipart upload has started. */
    public boolean isMultipart() {
        return uploadId != null;
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        checkOpen();
        while (len > 0) {
            int room = partSize - buffer.size();
            int chunk = Math.min(room, len);
            buffer.write(b, off, chunk);
            off += chunk;
            len -= chunk;
            bytesWritten += chunk;
            if (buffer.size() == partSize) {
                uploadBufferedPart();
            }
        }
    }

    /**
     * Finishes the object: one PutObject with {@code finalMetadata} added, or the last part and
     * CompleteMultipartUpload (where the metadata was fixed when the upload started).
     */
    public void complete(Map<String, String> finalMetadata) {
        checkOpen();
        done = true;
        if (uploadId == null) {
            metadata.putAll(finalMetadata);
            putObject();
        } else {
            if (buffer.size() > 0 || parts.isEmpty()) {
                uploadBufferedPart();
            }
            completeUpload();
        }
        buffer = null;
    }

    /** Discards the object: aborts the multipart upload if one started. An S3 error is logged, not thrown. */
    public void abort() {
        done = true;
        buffer = null;
        if (uploadId == null) {
            return;
        }
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
            log.info("Aborted multipart upload {} of s3://{}/{}", uploadId, bucket, key);
        } catch (SdkException e) {
            log.warn("Could not abort multipart upload {} of s3://{}/{}; an S3 lifecycle rule for incomplete multipart uploads can remove it: {}",
                    uploadId, bucket, key, e.toString());
        }
    }

    /** Same as {@link #abort()} unless the object was completed. */
    @Override
    public void close() {
        if (!done) {
            abort();
        }
    }

    private void checkOpen() throws IllegalStateException {
        if (done) {
            throw new IllegalStateException("the upload of s3://" + bucket + "/" + key + " is already completed or aborted");
        }
    }

    private void putObject() {
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(key).metadata(metadata)
                .contentLength((long) buffer.size());
        sse.apply(request);
        long start = System.nanoTime();
        try {
            s3.putObject(request.build(), RequestBody.fromByteBuffer(buffer.asByteBuffer()));
        } catch (SdkException e) {
            throw new S3UploadException("PutObject", bucket, key, e);
        }
        listener.requestCompleted(System.nanoTime() - start, buffer.size());
    }

    private void uploadBufferedPart() {
        if (uploadId == null) {
            startUpload();
        }
        int partNumber = parts.size() + 1;
        UploadPartRequest.Builder request = UploadPartRequest.builder().bucket(bucket).key(key).uploadId(uploadId)
                .partNumber(partNumber).contentLength((long) buffer.size());
        sse.apply(request);
        long start = System.nanoTime();
        UploadPartResponse response;
        try {
            response = s3.uploadPart(request.build(), RequestBody.fromByteBuffer(buffer.asByteBuffer()));
        } catch (SdkException e) {
            throw new S3UploadException("UploadPart " + partNumber, bucket, key, e);
        }
        listener.requestCompleted(System.nanoTime() - start, buffer.size());
        parts.add(CompletedPart.builder().partNumber(partNumber).eTag(response.eTag()).build());
        // The buffer grows to one part once and is reused for every later part of this object.
        buffer.reset();
    }

    private void startUpload() {
        CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder().bucket(bucket).key(key).metadata(metadata);
        sse.apply(request);
        try {
            uploadId = s3.createMultipartUpload(request.build()).uploadId();
        } catch (SdkException e) {
            throw new S3UploadException("CreateMultipartUpload", bucket, key, e);
        }
        log.debug("Started multipart upload {} of s3://{}/{}", uploadId, bucket, key);
    }

    private void completeUpload() {
        var request = software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest.builder()
                .bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build());
        sse.apply(request);
        try {
            s3.completeMultipartUpload(request.build());
        } catch (SdkException e) {
            throw new S3UploadException("CompleteMultipartUpload", bucket, key, e);
        }
    }

    /** A byte buffer whose contents can be sent without a copy. */
    private static final class PartBuffer extends ByteArrayOutputStream {
        PartBuffer(int initialSize) {
            super(initialSize);
        }

        java.nio.ByteBuffer asByteBuffer() {
            return java.nio.ByteBuffer.wrap(buf, 0, count);
        }
    }
}
