package io.github.dssesink.demo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.github.dssesink.crypto.EnvelopeDecryptor;
import io.github.dssesink.crypto.KeyBlock;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Reads every object under a prefix back, decrypts it, splits it into records and checks each one
 * against what was produced: every produced record must appear exactly once, at its own partition
 * and offset, with equal content.
 */
final class ObjectVerifier {

    /** The record content comparison: byte for byte, or as equal JSON documents. */
    enum Comparison { BYTES, JSON }

    /** One object as read back. Key IDs are empty where the object carries none. */
    record StoredObject(String key, long size, int records, String topic, int partition, long startOffset,
                        String sseAlgorithm, String sseKmsKeyId, String layer1KeyId, String layer2KeyId) {
    }

    /** The outcome: objects read, records matched, and up to {@value #MAX_PROBLEMS} problem descriptions. */
    record Result(List<StoredObject> objects, long recordsRead, int matched, int missing, long duplicates,
                  long mismatched, long unexpected, List<String> problems) {
        boolean allMatched(int expected) {
            return matched == expected && missing == 0 && duplicates == 0 && mismatched == 0 && unexpected == 0
                    && problems.isEmpty();
        }
    }

    static final int MAX_PROBLEMS = 20;
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final S3Client s3;
    private final String bucket;
    private final EnvelopeDecryptor decryptor;
    private final String sseCustomerKey;
    private final String compression;
    private final Comparison comparison;

    /**
     * @param decryptor opens client-side encrypted objects; null when the connector does not encrypt
     * @param sseCustomerKey the base64 SSE-C key to send on reads, or null
     * @param compression the connector's {@code s3.compression.type}: none or gzip
     */
    ObjectVerifier(S3Client s3, String bucket, EnvelopeDecryptor decryptor, String sseCustomerKey, String compression,
                   Comparison comparison) {
        if (!compression.equalsIgnoreCase("none") && !compression.equalsIgnoreCase("gzip")) {
            throw new IllegalArgumentException("Unsupported s3.compression.type " + compression
                    + " for the demo's read-back; use none or gzip");
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.decryptor = decryptor;
        this.sseCustomerKey = sseCustomerKey;
        this.compression = compression;
        this.comparison = comparison;
    }

    Result verify(String prefix, String topic, ProducedRecords produced) throws IOException {
        List<StoredObject> objects = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        BitSet seen = new BitSet(produced.size());
        long recordsRead = 0;
        long duplicates = 0;
        long mismatched = 0;
        long unexpected = 0;

        List<S3Object> listed = s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())
                .contents().stream().toList();
        for (S3Object listedObject : listed) {
            String key = listedObject.key();
            HeadObjectResponse head = s3.headObject(withSseC(HeadObjectRequest.builder().bucket(bucket).key(key)).build());
            Map<String, String> metadata = head.metadata();
            if (!topic.equals(metadata.get("dsse-topic"))) {
                continue;
            }
            int partition = Integer.parseInt(metadata.get("dsse-partition"));
            long startOffset = Long.parseLong(metadata.get("dsse-start-offset"));
            List<byte[]> records = splitLines(readPlaintext(key, metadata));
            checkRecordCount(key, metadata, records.size(), problems);
            objects.add(describe(key, listedObject.size(), records.size(), topic, partition, startOffset, head));

            for (int i = 0; i < records.size(); i++) {
                recordsRead++;
                long offset = startOffset + i;
                int index = produced.indexOf(partition, offset);
                if (index < 0) {
                    unexpected++;
                    addProblem(problems, "Object " + key + " holds partition " + partition + " offset " + offset + ", which was never produced");
                } else if (seen.get(index)) {
                    duplicates++;
                    addProblem(problems, "Partition " + partition + " offset " + offset + " appears again in " + key);
                } else if (!sameContent(produced.value(index), records.get(i))) {
                    mismatched++;
                    addProblem(problems, "Partition " + partition + " offset " + offset + " in " + key + " differs from the input record "
                            + (index + 1));
                } else {
                    seen.set(index);
                }
            }
        }
        int matched = seen.cardinality();
        int missing = produced.size() - matched;
        if (missing > 0) {
            int firstMissing = seen.nextClearBit(0);
            addProblem(problems, missing + " produced records were not found intact in any object; the first is input record "
                    + (firstMissing + 1));
        }
        return new Result(objects, recordsRead, matched, missing, duplicates, mismatched, unexpected, problems);
    }

    private byte[] readPlaintext(String key, Map<String, String> metadata) throws IOException {
        ResponseBytes<GetObjectResponse> stored = s3.getObjectAsBytes(withSseC(GetObjectRequest.builder().bucket(bucket).key(key)).build());
        byte[] bytes = stored.asByteArrayUnsafe();
        String keyBlock = metadata.get(KeyBlock.S3_METADATA_NAME);
        if (keyBlock != null) {
            if (decryptor == null) {
                throw new IOException("Object " + key + " is client-side encrypted but the connector config does not enable it");
            }
            bytes = decryptor.decrypt(bytes, KeyBlock.fromBase64(keyBlock));
        } else if (decryptor != null) {
            throw new IOException("Object " + key + " has no " + KeyBlock.S3_METADATA_NAME
                    + " metadata although client-side encryption is enabled");
        }
        if (compression.equalsIgnoreCase("gzip")) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                bytes = in.readAllBytes();
            }
        }
        return bytes;
    }

    private static void checkRecordCount(String key, Map<String, String> metadata, int records, List<String> problems) {
        String recorded = metadata.get("dsse-record-count");
        if (recorded != null && Long.parseLong(recorded) != records) {
            addProblem(problems, "Object " + key + " has dsse-record-count " + recorded + " but holds " + records + " records");
        }
    }

    private StoredObject describe(String key, long size, int records, String topic, int partition, long startOffset,
                                  HeadObjectResponse head) {
        String layer1 = "";
        String layer2 = "";
        String keyBlock = head.metadata().get(KeyBlock.S3_METADATA_NAME);
        if (keyBlock != null) {
            KeyBlock block = KeyBlock.fromBase64(keyBlock);
            layer1 = block.layer1().keyId();
            layer2 = block.layer2().keyId();
        }
        String sse = head.serverSideEncryptionAsString();
        if (sse == null && head.sseCustomerAlgorithm() != null) {
            sse = "SSE-C " + head.sseCustomerAlgorithm();
        }
        return new StoredObject(key, size, records, topic, partition, startOffset, sse == null ? "" : sse,
                head.ssekmsKeyId() == null ? "" : head.ssekmsKeyId(), layer1, layer2);
    }

    private boolean sameContent(byte[] expected, byte[] actual) {
        if (comparison == Comparison.BYTES) {
            return Arrays.equals(expected, actual);
        }
        try {
            return JSON.readTree(expected).equals(JSON.readTree(actual));
        } catch (IOException e) {
            return false;
        }
    }

    /** Splits newline-terminated records; the format writes a newline after every record. */
    private static List<byte[]> splitLines(byte[] bytes) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                lines.add(Arrays.copyOfRange(bytes, start, i));
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            lines.add(Arrays.copyOfRange(bytes, start, bytes.length));
        }
        return lines;
    }

    private <B extends software.amazon.awssdk.services.s3.model.S3Request.Builder> B withSseC(B builder) {
        if (sseCustomerKey == null) {
            return builder;
        }
        String md5 = Base64.getEncoder().encodeToString(md5(Base64.getDecoder().decode(sseCustomerKey)));
        if (builder instanceof GetObjectRequest.Builder get) {
            get.sseCustomerAlgorithm("AES256").sseCustomerKey(sseCustomerKey).sseCustomerKeyMD5(md5);
        } else if (builder instanceof HeadObjectRequest.Builder headRequest) {
            headRequest.sseCustomerAlgorithm("AES256").sseCustomerKey(sseCustomerKey).sseCustomerKeyMD5(md5);
        }
        return builder;
    }

    private static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no MD5, which SSE-C requires", e);
        }
    }

    private static void addProblem(List<String> problems, String problem) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(problem);
        }
    }
}
