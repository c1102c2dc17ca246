package io.github.dssesink.crypto;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The authenticated header at the start of every encrypted object, format version 1.
 *
 * <pre>
 * offset    size  field
 * 0         4     magic "DSSE" (0x44 0x53 0x53 0x45)
 * 4         1     format version, 0x01
 * 5         1     suite id, 0x01: two layers of AES-256-GCM, 16-byte tags, HKDF-SHA-256, committed keys
 * 6         1     key block location, 0x01: stored beside the body (S3 user metadata "dsse-key-block")
 * 7         1     reserved, 0x00
 * 8         4     frame size: plaintext bytes per frame, unsigned big-endian, 64 to 16 MiB
 * 12        32    salt, random per object
 * 44        32    layer-1 commitment
 * 76        32    layer-2 commitment
 * 108       2     C: length of the encryption context field in bytes, unsigned big-endian
 * 110       C     encryption context: u16 pair count, then per pair u16 key length, key (UTF-8),
 *                 u16 value length, value (UTF-8); sorted by key bytes, keys unique
 * 110 + C   32    header tag: HMAC-SHA-256 under the header key over bytes [0, 110 + C)
 * </pre>
 *
 * All integers are unsigned big-endian. The whole header is {@code 142 + C} bytes. See
 * docs/format.md for key derivation, frames and the key block.
 */
public final class EnvelopeHeader {
    public static final byte[] MAGIC = {0x44, 0x53, 0x53, 0x45};
    public static final int FORMAT_VERSION = 1;
    public static final int SUITE_TWO_LAYER_AES256GCM_HKDF_SHA256_COMMIT = 1;
    public static final int KEY_BLOCK_BESIDE_BODY = 1;

    public static final int SALT_SIZE_IN_BYTES = 32;
    public static final int COMMITMENT_SIZE_IN_BYTES = 32;
    public static final int HEADER_TAG_SIZE_IN_BYTES = 32;
    public static final int FIXED_PART_SIZE_IN_BYTES = 110;
    public static final int MIN_FRAME_SIZE_IN_BYTES = 64;
    public static final int MAX_FRAME_SIZE_IN_BYTES = 16 * 1024 * 1024;
    public static final int MAX_CONTEXT_SIZE_IN_BYTES = 0xFFFF;

    private final int frameSize;
    private final byte[] salt;
    private final byte[] layer1Commitment;
    private final byte[] layer2Commitment;
    private final SortedMap<String, String> encryptionContext;
    private final byte[] unauthenticatedBytes;
    private final byte[] tag;

    private EnvelopeHeader(int frameSize, byte[] salt, byte[] layer1Commitment, byte[] layer2Commitment,
                           SortedMap<String, String> encryptionContext, byte[] unauthenticatedBytes, byte[] tag) {
        this.frameSize = frameSize;
        this.salt = salt;
        this.layer1Commitment = layer1Commitment;
        this.layer2Commitment = layer2Commitment;
        this.encryptionContext = Collections.unmodifiableSortedMap(encryptionContext);
        this.unauthenticatedBytes = unauthenticatedBytes;
        this.tag = tag;
    }

    /** Builds a header and computes its tag with the header key. */
    static EnvelopeHeader create(int frameSize, byte[] salt, byte[] layer1Commitment, byte[] layer2Commitment,
                                 Map<String, String> encryptionContext, byte[] headerKey) {
        checkFrameSize(frameSize);
        SortedMap<String, String> context = sortedContext(encryptionContext);
        byte[] contextBytes = encodeContext(context);
        ByteBuffer buffer = ByteBuffer.allocate(FIXED_PART_SIZE_IN_BYTES + contextBytes.length);
        buffer.put(MAGIC)
                .put((byte) FORMAT_VERSION)
                .put((byte) SUITE_TWO_LAYER_AES256GCM_HKDF_SHA256_COMMIT)
                .put((byte) KEY_BLOCK_BESIDE_BODY)
                .put((byte) 0)
                .putInt(frameSize)
                .put(salt)
                .put(layer1Commitment)
                .put(layer2Commitment)
                .putShort((short) contextBytes.length)
                .put(contextBytes);
        byte[] unauthenticated = buffer.array();
        byte[] tag = KeyDerivation.headerTag(headerKey, unauthenticated);
        return new EnvelopeHeader(frameSize, salt.clone(), layer1Commitment.clone(), layer2Commitment.clone(),
                context, unauthenticated, tag);
    }

    /**
     * Reads and parses a header from the start of an object. The tag is not checked here: that needs
     * the data keys, see {@link #verifyTag(byte[])}.
     */
    public static EnvelopeHeader read(InputStream in) throws IOException {
        byte[] fixed = in.readNBytes(FIXED_PART_SIZE_IN_BYTES);
        if (fixed.length >= MAGIC.length && !Arrays.equals(fixed, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new EnvelopeException(EnvelopeException.Reason.HEADER,
                    "Invalid header: the object does not start with the magic bytes \"DSSE\", so it is not a DSSE Sink encrypted object");
        }
        if (fixed.length >= 5 && (fixed[4] & 0xFF) != FORMAT_VERSION) {
            throw new EnvelopeException(EnvelopeException.Reason.UNSUPPORTED_VERSION,
                    "Unsupported format version " + (fixed[4] & 0xFF) + ": this library reads version " + FORMAT_VERSION);
        }
        if (fixed.length < FIXED_PART_SIZE_IN_BYTES) {
            throw new EnvelopeException(EnvelopeException.Reason.TRUNCATED,
                    "Truncated header: the object ends after " + fixed.length + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(fixed);
        buffer.position(5);
        int suite = buffer.get() & 0xFF;
        if (suite != SUITE_TWO_LAYER_AES256GCM_HKDF_SHA256_COMMIT) {
            throw new EnvelopeException(EnvelopeException.Reason.UNSUPPORTED_VERSION,
                    "Unsupported suite id " + suite + ": this library reads suite " + SUITE_TWO_LAYER_AES256GCM_HKDF_SHA256_COMMIT);
        }
        int location = buffer.get() & 0xFF;
        if (location != KEY_BLOCK_BESIDE_BODY) {
            throw new EnvelopeException(EnvelopeException.Reason.UNSUPPORTED_VERSION,
                    "Unsupported key block location " + location + ": this library reads location " + KEY_BLOCK_BESIDE_BODY);
        }
        int reserved = buffer.get() & 0xFF;
        if (reserved != 0) {
            throw new EnvelopeException(EnvelopeException.Reason.HEADER, "Invalid header: reserved byte is " + reserved + ", expected 0");
        }
        int frameSize = buffer.getInt();
        if (frameSize < MIN_FRAME_SIZE_IN_BYTES || frameSize > MAX_FRAME_SIZE_IN_BYTES) {
            throw new EnvelopeException(EnvelopeException.Reason.HEADER, "Invalid header: frame size " + Integer.toUnsignedString(frameSize)
                    + " is outside " + MIN_FRAME_SIZE_IN_BYTES + ".." + MAX_FRAME_SIZE_IN_BYTES);
        }
        byte[] salt = new byte[SALT_SIZE_IN_BYTES];
        byte[] commitment1 = new byte[COMMITMENT_SIZE_IN_BYTES];
        byte[] commitment2 = new byte[COMMITMENT_SIZE_IN_BYTES];
        buffer.get(salt).get(commitment1).get(commitment2);
        int contextLength = buffer.getShort() & 0xFFFF;

        byte[] rest = in.readNBytes(contextLength + HEADER_TAG_SIZE_IN_BYTES);
        if (rest.length < contextLength + HEADER_TAG_SIZE_IN_BYTES) {
            throw new EnvelopeException(EnvelopeException.Reason.TRUNCATED,
                    "Truncated header: the object ends inside the encryption context or header tag");
        }
        byte[] contextBytes = Arrays.copyOfRange(rest, 0, contextLength);
        SortedMap<String, String> context = decodeContext(contextBytes);
        byte[] unauthenticated = new byte[FIXED_PART_SIZE_IN_BYTES + contextLength];
        System.arraycopy(fixed, 0, unauthenticated, 0, FIXED_PART_SIZE_IN_BYTES);
        System.arraycopy(contextBytes, 0, unauthenticated, FIXED_PART_SIZE_IN_BYTES, contextLength);
        byte[] tag = Arrays.copyOfRange(rest, contextLength, rest.length);
        return new EnvelopeHeader(frameSize, salt, commitment1, commitment2, context, unauthenticated, tag);
    }

    /** Parses the header at the start of {@code objectStart}, which may hold more than the header. */
    public static EnvelopeHeader parse(byte[] objectStart) {
        try {
            return read(new java.io.ByteArrayInputStream(objectStart));
        } catch (IOException e) {
            throw new IllegalStateException("Reading from memory failed", e);
        }
    }

    /** Checks the header tag in constant time; a mismatch means the header was modified. */
    void verifyTag(byte[] headerKey) {
        byte[] expected = KeyDerivation.headerTag(headerKey, unauthenticatedBytes);
        if (!MessageDigest.isEqual(expected, tag)) {
            throw new EnvelopeException(EnvelopeException.Reason.HEADER,
                    "Header authentication failed: the header was modified or belongs to other data keys");
        }
    }

    /** Returns the serialized header, tag included, as written at the start of the object. */
    public byte[] toBytes() {
        byte[] bytes = Arrays.copyOf(unauthenticatedBytes, unauthenticatedBytes.length + tag.length);
        System.arraycopy(tag, 0, bytes, unauthenticatedBytes.length, tag.length);
        return bytes;
    }

    public int lengthInBytes() {
        return unauthenticatedBytes.length + tag.length;
    }

    /** Returns the associated data of every frame in both layers: SHA-256 of the whole header. */
    byte[] frameAssociatedData() {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(unauthenticatedBytes);
            return sha256.digest(tag);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    public int frameSize() {
        return frameSize;
    }

    public byte[] salt() {
        return salt.clone();
    }

    byte[] layer1Commitment() {
        return layer1Commitment.clone();
    }

    byte[] layer2Commitment() {
        return layer2Commitment.clone();
    }

    public SortedMap<String, String> encryptionContext() {
        return encryptionContext;
    }

    public int formatVersion() {
        return FORMAT_VERSION;
    }

    static void checkFrameSize(int frameSize) {
        if (frameSize < MIN_FRAME_SIZE_IN_BYTES || frameSize > MAX_FRAME_SIZE_IN_BYTES) {
            throw new EnvelopeException(EnvelopeException.Reason.INVALID_ARGUMENT, "Invalid frame size " + frameSize
                    + ": it must be between " + MIN_FRAME_SIZE_IN_BYTES + " and " + MAX_FRAME_SIZE_IN_BYTES + " bytes");
        }
    }

    static SortedMap<String, String> sortedContext(Map<String, String> context) {
        // Keys compare as UTF-8 bytes so that any implementation sorts them the same way.
        SortedMap<String, String> sorted = new TreeMap<>(EnvelopeHeader::compareUtf8);
        for (Map.Entry<String, String> entry : context.entrySet()) {
            if (entry.getKey() == null || entry.getValue() == null || entry.getKey().isEmpty()) {
                throw new EnvelopeException(EnvelopeException.Reason.INVALID_ARGUMENT,
                        "Invalid encryption context: keys must be non-empty and values non-null");
            }
            sorted.put(entry.getKey(), entry.getValue());
        }
        return sorted;
    }

    static int compareUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] encodeContext(SortedMap<String, String> context) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeShort(context.size());
            for (Map.Entry<String, String> entry : context.entrySet()) {
                writeString(out, entry.getKey());
                writeString(out, entry.getValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("Writing to memory failed", e);
        }
        if (bytes.size() > MAX_CONTEXT_SIZE_IN_BYTES) {
            throw new EnvelopeException(EnvelopeException.Reason.INVALID_ARGUMENT,
                    "Invalid encryption context: it encodes to " + bytes.size() + " bytes, the maximum is " + MAX_CONTEXT_SIZE_IN_BYTES);
        }
        return bytes.toByteArray();
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 0xFFFF) {
            throw new EnvelopeException(EnvelopeException.Reason.INVALID_ARGUMENT,
                    "Invalid encryption context: an entry is longer than 65535 bytes");
        }
        out.writeShort(utf8.length);
        out.write(utf8);
    }

    private static SortedMap<String, String> decodeContext(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        SortedMap<String, String> context = new TreeMap<>(EnvelopeHeader::compareUtf8);
        try {
            int count = buffer.getShort() & 0xFFFF;
            String previous = null;
            for (int i = 0; i < count; i++) {
                String key = readString(buffer);
                String value = readString(buffer);
                if (key.isEmpty() || (previous != null && compareUtf8(previous, key) >= 0)) {
                    throw new EnvelopeException(EnvelopeException.Reason.HEADER,
                            "Invalid header: encryption context keys are empty, unsorted or repeated");
                }
                context.put(key, value);
                previous = key;
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new EnvelopeException(EnvelopeException.Reason.HEADER,
                    "Invalid header: the encryption context field is shorter than its entries", e);
        }
        if (buffer.hasRemaining()) {
            throw new EnvelopeException(EnvelopeException.Reason.HEADER,
                    "Invalid header: " + buffer.remaining() + " extra bytes after the encryption context entries");
        }
        return context;
    }

    private static String readString(ByteBuffer buffer) {
        int length = buffer.getShort() & 0xFFFF;
        byte[] utf8 = new byte[length];
        buffer.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
