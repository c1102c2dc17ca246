package io.github.dssesink.crypto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

/**
 * Opens encrypted objects. It reads the header and unwraps both data keys through the key provider
 * that the key block names, pinned to the recorded key ID and checked against the allow-list. Then
 * it checks the key commitments and the header tag, and returns a stream that verifies every frame
 * before it releases plaintext. Thread-safe.
 *
 * <p>Unwrapped data key pairs are cached (least recently used, by key block and context) so that
 * objects sharing a pair cost one key service call; set the cache size to 0 to disable it.
 */
public final class EnvelopeDecryptor {
    private final Map<KeyProviderId, KeyProvider> providers;
    private final KeyIdAllowList allowList;
    private final Map<String, String> requiredContext;
    private final Map<String, byte[][]> unwrapped;
    private final int cacheSize;
    private final String layer1JcaProvider;

    private EnvelopeDecryptor(Builder builder) {
        if (builder.providers.isEmpty()) {
            throw new EnvelopeException(EnvelopeException.Reason.INVALID_ARGUMENT, "No key provider configured for decryption");
        }
        this.providers = new EnumMap<>(builder.providers);
        this.allowList = new KeyIdAllowList(builder.allowedKeyIds, providers);
        this.requiredContext = Map.copyOf(builder.requiredContext);
        this.cacheSize = builder.cacheSize;
        this.layer1JcaProvider = builder.layer1JcaProvider;
        JcaFrameCipher.newCipher(layer1JcaProvider);
        this.unwrapped = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[][]> eldest) {
                if (size() > cacheSize) {
                    wipe(eldest.getValue());
                    return true;
                }
                return false;
            }
        };
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Decrypts a whole object held in memory. */
    public byte[] decrypt(byte[] object, KeyBlock keyBlock) {
        try (DecryptingInputStream in = open(new ByteArrayInputStream(object), keyBlock)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(0, object.length - 200));
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw unwrapIo(e);
        }
    }

    /** Opens a stored object for sequential decryption; the stream starts after the header. */
    public DecryptingInputStream open(InputStream object, KeyBlock keyBlock) throws IOException {
        EnvelopeHeader header = EnvelopeHeader.read(object);
        return new DecryptingInputStream(object, cipherFor(header, keyBlock));
    }

    /**
     * Decrypts plaintext bytes [start, end) of a stored object, reading only the header and the
     * frames that hold them.
     *
     * @param objectLength the stored object length (S3 Content-Length)
     */
    public InputStream openRange(ByteRangeSource source, long objectLength, KeyBlock keyBlock, long start, long end)
            throws IOException {
        EnvelopeHeader header = readHeader(source, objectLength);
        FrameLayout layout = FrameLayout.ofObject(header, objectLength);
        if (start < 0 || end < start || end > layout.plaintextLength()) {
            throw new EnvelopeException(EnvelopeException.Reason.INVALID_ARGUMENT, "Invalid range [" + start + ", " + end
                    + "): the object holds " + layout.plaintextLength() + " plaintext bytes");
        }
        ObjectCipher cipher = cipherFor(header, keyBlock);
        if (start == end) {
            cipher.close();
            return InputStream.nullInputStream();
        }
        long firstFrame = start / header.frameSize();
        long lastFrame = (end - 1) / header.frameSize();
        long offset = layout.frameOffset(firstFrame);
        long length = layout.frameOffset(lastFrame) + layout.sealedFrameLength(lastFrame) - offset;
        InputStream frames = source.open(offset, length);
        InputStream decrypted = new DecryptingInputStream(frames, cipher, layout, firstFrame, lastFrame);
        decrypted.skipNBytes(start - firstFrame * header.frameSize());
        return new BoundedInputStream(decrypted, end - start);
    }

    /** Reads and parses only the header of a stored object. */
    public static EnvelopeHeader readHeader(ByteRangeSource source, long objectLength) throws IOException {
        long probe = Math.min(objectLength, 4096);
        byte[] start;
        try (InputStream in = source.open(0, probe)) {
            start = in.readAllBytes();
        }
        int needed = EnvelopeHeader.FIXED_PART_SIZE_IN_BYTES;
        if (start.length >= needed) {
            int contextLength = ((start[108] & 0xFF) << 8) | (start[109] & 0xFF);
            needed += contextLength + EnvelopeHeader.HEADER_TAG_SIZE_IN_BYTES;
        }
        if (start.length < needed && objectLength > start.length) {
            try (InputStream in = source.open(0, Math.min(objectLength, needed))) {
                start = in.readAllBytes();
            }
        }
        return EnvelopeHeader.read(new ByteArrayInputStream(start));
    }

    /** Checks both layers' key IDs against the allow-list without calling the key service. */
    public void checkAllowed(KeyBlock keyBlock) {
        for (int layer = 1; layer <= 2; layer++) {
            allowList.check(layer, keyBlock.layer(layer).keyId());
        }
    }

    private ObjectCipher cipherFor(EnvelopeHeader header, KeyBlock keyBlock) {
        checkRequiredContext(header.encryptionContext());
        checkAllowed(keyBlock);
        byte[][] dataKeys = dataKeys(header.encryptionContext(), keyBlock);
        byte[] salt = header.salt();
        KeyDerivation.LayerKeys keys1 = KeyDerivation.layerKeys(1, dataKeys[0], salt);
        KeyDerivation.LayerKeys keys2 = KeyDerivation.layerKeys(2, dataKeys[1], salt);
        try {
            checkCommitment(1, header.layer1Commitment(), keys1.commitment(), keyBlock);
            checkCommitment(2, header.layer2Commitment(), keys2.commitment(), keyBlock);
            byte[] headerKey = KeyDerivation.headerKey(dataKeys[0], dataKeys[1], salt);
            try {
                header.verifyTag(headerKey);
            } finally {
                Arrays.fill(headerKey, (byte) 0);
            }
            return new ObjectCipher(header, new JcaFrameCipher(layer1JcaProvider, keys1.contentKey()),
                    new BouncyCastleFrameCipher(keys2.contentKey()));
        } finally {
            keys1.destroy();
            keys2.destroy();
            wipe(dataKeys);
        }
    }

    private static void checkCommitment(int layer, byte[] expected, byte[] actual, KeyBlock keyBlock) {
        if (!KeyDerivation.commitmentMatches(expected, actual)) {
            throw new EnvelopeException(EnvelopeException.Reason.COMMITMENT, "Key commitment mismatch on layer " + layer
                    + ": the data key unwrapped under " + keyBlock.layer(layer).keyId()
                    + " does not belong to this object, or the header's salt or commitment was modified");
        }
    }

    private void checkRequiredContext(SortedMap<String, String> context) {
        for (Map.Entry<String, String> required : requiredContext.entrySet()) {
            String actual = context.get(required.getKey());
            if (!required.getValue().equals(actual)) {
                throw new EnvelopeException(EnvelopeException.Reason.CONTEXT_MISMATCH, "Encryption context mismatch: '"
                        + required.getKey() + "' is " + (actual == null ? "missing" : "'" + actual + "'")
                        + " in the object, expected '" + required.getValue() + "'");
            }
        }
    }

    private byte[][] dataKeys(SortedMap<String, String> context, KeyBlock keyBlock) {
        String cacheKey = cacheSize == 0 ? null : keyBlock.toBase64() + "\n" + context;
        if (cacheKey != null) {
            synchronized (unwrapped) {
                byte[][] cached = unwrapped.get(cacheKey);
                if (cached != null) {
                    return new byte[][] {cached[0].clone(), cached[1].clone()};
                }
            }
        }
        byte[][] keys = new byte[2][];
        for (int layer = 1; layer <= 2; layer++) {
            KeyBlock.WrappedKey wrapped = keyBlock.layer(layer);
            KeyProvider provider = providers.get(wrapped.provider());
            if (provider == null) {
                wipe(keys);
                throw new EnvelopeException(EnvelopeException.Reason.KEY_BLOCK, "Layer " + layer + " was wrapped by key provider '"
                        + wrapped.provider().configName() + "', which is not configured for decryption");
            }
            try {
                keys[layer - 1] = provider.decryptDataKey(wrapped.keyId(), wrapped.wrappedDataKey(),
                        EnvelopeEncryptor.layerContext(context, layer));
            } catch (EnvelopeException e) {
                wipe(keys);
                throw e;
            }
        }
        if (cacheKey != null) {
            synchronized (unwrapped) {
                unwrapped.put(cacheKey, new byte[][] {keys[0].clone(), keys[1].clone()});
            }
        }
        return keys;
    }

    private static void wipe(byte[][] keys) {
        for (byte[] key : keys) {
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
        }
    }

    /** Returns the {@link EnvelopeException} behind an {@link IOException} from a decrypting stream, if there is one. */
    public static RuntimeException unwrapIo(IOException e) {
        if (e.getCause() instanceof EnvelopeException envelope) {
            return envelope;
        }
        return new UncheckedIOException(e);
    }

    /** Settings of an {@link EnvelopeDecryptor}. */
    public static final class Builder {
        private final Map<KeyProviderId, KeyProvider> providers = new EnumMap<>(KeyProviderId.class);
        private Collection<String> allowedKeyIds = List.of();
        private Map<String, String> requiredContext = Map.of();
        private int cacheSize = 64;
        private String layer1JcaProvider;

        /** Adds a key provider; the key block names which one unwraps each layer. */
        public Builder keyProvider(KeyProvider provider) {
            providers.put(provider.id(), Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /**
         * Limits the KMS keys accepted on decrypt: key IDs, key ARNs, alias names or alias ARNs
         * (aliases are resolved once with DescribeKey). Empty accepts any key.
         */
        public Builder allowedKeyIds(Collection<String> keyIds) {
            this.allowedKeyIds = List.copyOf(keyIds);
            return this;
        }

        /** Requires these encryption context pairs in every object opened. */
        public Builder requiredContext(Map<String, String> context) {
            this.requiredContext = Map.copyOf(context);
            return this;
        }

        /** Sets how many unwrapped data key pairs are kept (default 64, 0 disables the cache). */
        public Builder unwrappedKeyCacheSize(int size) {
            if (size < 0) {
                throw new EnvelopeException(EnvelopeException.Reason.INVALID_ARGUMENT, "Invalid cache size " + size + ": it must be 0 or more");
            }
            this.cacheSize = size;
            return this;
        }

        /** Names the JCA provider that opens layer 1; null or empty takes the JDK's first AES/GCM provider. */
        public Builder layer1JcaProvider(String providerName) {
            this.layer1JcaProvider = providerName;
            return this;
        }

        public EnvelopeDecryptor build() {
            return new EnvelopeDecryptor(this);
        }
    }
}
