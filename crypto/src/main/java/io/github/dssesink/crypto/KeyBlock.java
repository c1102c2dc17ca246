package io.github.dssesink.crypto;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The wrapped data keys of one object, kept outside the body so they can be replaced (re-wrapped
 * under another KMS key) without touching the body. In S3 it is the user metadata entry
 * {@value #S3_METADATA_NAME}, base64 encoded, which a server-side CopyObject can replace.
 *
 * <pre>
 * size  field
 * 1     key block version, 0x01
 * 1     layer count, 0x02
 * then for layer 1 and layer 2:
 * 1     key provider id: 0x01 AWS KMS, 0x02 local keyring
 * 2     key ID length K, unsigned big-endian
 * K     key ID (UTF-8): the KMS key ARN that wrapped the data key, or the keyring key name
 * 2     wrapped data key length W, unsigned big-endian
 * W     wrapped data key: the KMS CiphertextBlob, or the keyring's wrapping
 * </pre>
 *
 * The key block is not authenticated by the body: a substituted data key fails the key commitment
 * in the header, and the key service authenticates the wrapped key with the encryption context.
 */
public final class KeyBlock {
    /** S3 user metadata name (sent as {@code x-amz-meta-dsse-key-block}). */
    public static final String S3_METADATA_NAME = "dsse-key-block";
    public static final int VERSION = 1;
    public static final int LAYER_COUNT = 2;

    /** One layer's wrapped data key and the key that wrapped it. */
    public record WrappedKey(KeyProviderId provider, String keyId, byte[] wrappedDataKey) {
        public WrappedKey {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(keyId, "keyId");
            wrappedDataKey = wrappedDataKey.clone();
        }

        @Override
        public byte[] wrappedDataKey() {
            return wrappedDataKey.clone();
        }
    }

    private final WrappedKey layer1;
    private final WrappedKey layer2;

    public KeyBlock(WrappedKey layer1, WrappedKey layer2) {
        this.layer1 = Objects.requireNonNull(layer1, "layer1");
        this.layer2 = Objects.requireNonNull(layer2, "layer2");
    }

    public WrappedKey layer1() {
        return layer1;
    }

    public WrappedKey layer2() {
        return layer2;
    }

    /** Returns the wrapped key of layer 1 or 2. */
    public WrappedKey layer(int layer) {
        return switch (layer) {
            case 1 -> layer1;
            case 2 -> layer2;
            default -> throw new IllegalArgumentException("layer must be 1 or 2, got " + layer);
        };
    }

    public List<WrappedKey> layers() {
        return List.of(layer1, layer2);
    }

    public byte[] toBytes() {
        byte[][] ids = {utf8(layer1.keyId()), utf8(layer2.keyId())};
        int size = 2;
        for (int i = 0; i < 2; i++) {
            size += 1 + 2 + ids[i].length + 2 + layers().get(i).wrappedDataKey.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.put((byte) VERSION).put((byte) LAYER_COUNT);
        for (int i = 0; i < 2; i++) {
            WrappedKey key = layers().get(i);
            checkLength(ids[i].length, "key ID");
            checkLength(key.wrappedDataKey.length, "wrapped data key");
            buffer.put(key.provider().code())
                    .putShort((short) ids[i].length).put(ids[i])
                    .putShort((short) key.wrappedDataKey.length).put(key.wrappedDataKey);
        }
        return buffer.array();
    }

    /** Returns the base64 (RFC 4648, padded) form stored in S3 user metadata. */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(toBytes());
    }

    public static KeyBlock fromBase64(String base64) {
        if (base64 == null || base64.isBlank()) {
            throw new EnvelopeException(EnvelopeException.Reason.KEY_BLOCK,
                    "Missing key block: the object has no '" + S3_METADATA_NAME + "' metadata, so its data keys cannot be found");
        }
        try {
            return fromBytes(Base64.getDecoder().decode(base64.trim()));
        } catch (IllegalArgumentException e) {
            throw new EnvelopeException(EnvelopeException.Reason.KEY_BLOCK, "Invalid key block: not valid base64", e);
        }
    }

    public static KeyBlock fromBytes(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            int version = buffer.get() & 0xFF;
            if (version != VERSION) {
                throw new EnvelopeException(EnvelopeException.Reason.UNSUPPORTED_VERSION,
                        "Unsupported key block version " + version + ": this library reads version " + VERSION);
            }
            int layers = buffer.get() & 0xFF;
            if (layers != LAYER_COUNT) {
                throw new EnvelopeException(EnvelopeException.Reason.KEY_BLOCK,
                        "Invalid key block: " + layers + " layers, expected " + LAYER_COUNT);
            }
            WrappedKey first = readLayer(buffer);
            WrappedKey second = readLayer(buffer);
            if (buffer.hasRemaining()) {
                throw new EnvelopeException(EnvelopeException.Reason.KEY_BLOCK,
                        "Invalid key block: " + buffer.remaining() + " extra bytes at the end");
            }
            return new KeyBlock(first, second);
        } catch (BufferUnderflowException e) {
            throw new EnvelopeException(EnvelopeException.Reason.KEY_BLOCK, "Invalid key block: truncated", e);
        }
    }

    private static WrappedKey readLayer(ByteBuffer buffer) {
        KeyProviderId provider = KeyProviderId.fromCode(buffer.get());
        byte[] keyId = new byte[buffer.getShort() & 0xFFFF];
        buffer.get(keyId);
        byte[] wrapped = new byte[buffer.getShort() & 0xFFFF];
        buffer.get(wrapped);
        return new WrappedKey(provider, new String(keyId, StandardCharsets.UTF_8), wrapped);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static void checkLength(int length, String what) {
        if (length > 0xFFFF) {
            throw new EnvelopeException(EnvelopeException.Reason.INVALID_ARGUMENT,
                    "Invalid key block: the " + what + " is " + length + " bytes, the maximum is 65535");
        }
    }
}
