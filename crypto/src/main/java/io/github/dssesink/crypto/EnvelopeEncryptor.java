package io.github.dssesink.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates encrypted objects: per object it obtains a data key pair (a fresh one, or a reused one
 * under the {@link DataKeyReusePolicy}), draws a random salt, derives both layers' content keys and
 * commitments, and returns a stream that writes the header and the frames. Thread-safe: one
 * encryptor serves many concurrent objects.
 *
 * <p>The KMS encryption context of layer L is the object's context plus
 * {@code "dsse-sink:layer" = "L"}; the header records the object's context so decryption can
 * supply it again.
 */
public final class EnvelopeEncryptor implements AutoCloseable {
    /** Encryption context key that the library adds per layer; callers may not set it. */
    public static final String LAYER_CONTEXT_KEY = "dsse-sink:layer";
    public static final int DEFAULT_FRAME_SIZE_IN_BYTES = 256 * 1024;

    private static final Logger log = LoggerFactory.getLogger(EnvelopeEncryptor.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final KeyProvider layer1Provider;
    private final String layer1KeyId;
    private final KeyProvider layer2Provider;
    private final String layer2KeyId;
    private final int frameSize;
    private final String layer1JcaProvider;
    private final DataKeyReusePolicy reusePolicy;
    private final DataKeyCache cache;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ExecutorService keyRequests;

    private EnvelopeEncryptor(Builder builder) {
        this.layer1Provider = Objects.requireNonNull(builder.layer1Provider, "layer 1 key provider");
        this.layer2Provider = Objects.requireNonNull(builder.layer2Provider, "layer 2 key provider");
        this.layer1KeyId = requireKeyId(builder.layer1KeyId, 1);
        this.layer2KeyId = requireKeyId(builder.layer2KeyId, 2);
        EnvelopeHeader.checkFrameSize(builder.frameSize);
        this.frameSize = builder.frameSize;
        this.layer1JcaProvider = builder.layer1JcaProvider;
        JcaFrameCipher.newCipher(layer1JcaProvider);
        this.reusePolicy = builder.reusePolicy;
        this.clock = builder.clock;
        this.cache = new DataKeyCache(reusePolicy, clock);
        // Layer 2's data key is requested while layer 1's is, so a fresh pair costs one KMS round trip.
        this.keyRequests = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "dsse-data-key-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        log.info("Envelope encryptor ready: layer 1 {} AES-256-GCM (JCA) under key {}, layer 2 Bouncy Castle AES-256-GCM ({}) under key {}, "
                        + "frame size {} bytes, data key reuse {}",
                JcaFrameCipher.providerName(layer1JcaProvider), layer1KeyId,
                BouncyCastleFrameCipher.isNative() ? "native" : "pure Java, about 100 times slower", layer2KeyId, frameSize,
                reusePolicy.reusesKeys() ? reusePolicy : "off (a fresh data key pair per object)");
        if (!BouncyCastleFrameCipher.isNative()) {
            log.warn("Bouncy Castle native AES-GCM is not available ({}); layer 2 runs in pure Java",
                    BouncyCastleFrameCipher.nativeStatus());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts an encrypted object: writes its header to {@code out} and returns the stream for its
     * plaintext. Store {@link EncryptingOutputStream#keyBlock()} beside the object.
     *
     * @param encryptionContext non-secret pairs naming the purpose (for example connector and topic);
     *                          sent to the key service and recorded in the header
     */
    public EncryptingOutputStream open(OutputStream out, Map<String, String> encryptionContext) throws IOException {
        SortedMap<String, String> context = EnvelopeHeader.sortedContext(encryptionContext);
        if (context.containsKey(LAYER_CONTEXT_KEY)) {
            throw new EnvelopeException(EnvelopeException.Reason.INVALID_ARGUMENT,
                    "Invalid encryption context: the key '" + LAYER_CONTEXT_KEY + "' is reserved for the library");
        }
        DataKeyCache.Lease lease = cache.acquire(context, () -> generatePair(context));
        try {
            byte[] salt = new byte[EnvelopeHeader.SALT_SIZE_IN_BYTES];
            random.nextBytes(salt);
            return open(out, context, lease.layer1DataKey(), lease.layer2DataKey(), salt, lease.keyBlock(),
                    bytes -> cache.recordBytes(lease.entry(), bytes));
        } finally {
            lease.wipe();
        }
    }

    /** Starts an object from given data keys and salt; {@link #open(OutputStream, Map)} and the test vectors use it. */
    EncryptingOutputStream open(OutputStream out, SortedMap<String, String> context, byte[] layer1DataKey, byte[] layer2DataKey,
                                byte[] salt, KeyBlock keyBlock, java.util.function.LongConsumer onFinish) throws IOException {
        KeyDerivation.LayerKeys keys1 = KeyDerivation.layerKeys(1, layer1DataKey, salt);
        KeyDerivation.LayerKeys keys2 = KeyDerivation.layerKeys(2, layer2DataKey, salt);
        byte[] headerKey = KeyDerivation.headerKey(layer1DataKey, layer2DataKey, salt);
        try {
            EnvelopeHeader header = EnvelopeHeader.create(frameSize, salt, keys1.commitment(), keys2.commitment(), context, headerKey);
            ObjectCipher cipher = new ObjectCipher(header,
                    new JcaFrameCipher(layer1JcaProvider, keys1.contentKey()),
                    new BouncyCastleFrameCipher(keys2.contentKey()));
            return new EncryptingOutputStream(out, cipher, keyBlock, onFinish);
        } finally {
            java.util.Arrays.fill(headerKey, (byte) 0);
            keys1.destroy();
            keys2.destroy();
        }
    }

    /** Returns the number of key service calls made by both layers' providers. */
    public long keyServiceCallCount() {
        return layer1Provider == layer2Provider
                ? layer1Provider.callCount() : layer1Provider.callCount() + layer2Provider.callCount();
    }

    /** Returns true when layer 2 runs Bouncy Castle's native AES-GCM. */
    public static boolean isLayer2Native() {
        return BouncyCastleFrameCipher.isNative();
    }

    public int frameSize() {
        return frameSize;
    }

    /** Wipes cached data keys and stops the key request threads. */
    @Override
    public void close() {
        cache.clear();
        keyRequests.shutdownNow();
    }

    private DataKeyCache.Entry generatePair(SortedMap<String, String> context) {
        CompletableFuture<KeyProvider.DataKey> second = CompletableFuture.supplyAsync(
                () -> layer2Provider.generateDataKey(layer2KeyId, layerContext(context, 2)), keyRequests);
        KeyProvider.DataKey first;
        try {
            first = layer1Provider.generateDataKey(layer1KeyId, layerContext(context, 1));
        } catch (RuntimeException e) {
            second.thenAccept(key -> java.util.Arrays.fill(key.plaintext(), (byte) 0));
            throw e;
        }
        KeyProvider.DataKey secondKey;
        try {
            secondKey = second.join();
        } catch (CompletionException e) {
            java.util.Arrays.fill(first.plaintext(), (byte) 0);
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
        KeyBlock keyBlock = new KeyBlock(
                new KeyBlock.WrappedKey(layer1Provider.id(), first.keyId(), first.wrapped()),
                new KeyBlock.WrappedKey(layer2Provider.id(), secondKey.keyId(), secondKey.wrapped()));
        log.debug("Generated a data key pair under {} and {}", first.keyId(), secondKey.keyId());
        return new DataKeyCache.Entry(first.plaintext(), secondKey.plaintext(), keyBlock, clock.instant());
    }

    static SortedMap<String, String> layerContext(Map<String, String> context, int layer) {
        SortedMap<String, String> layerContext = new TreeMap<>(context);
        layerContext.put(LAYER_CONTEXT_KEY, Integer.toString(layer));
        return layerContext;
    }

    private static String requireKeyId(String keyId, int layer) {
        if (keyId == null || keyId.isBlank()) {
            throw new EnvelopeException(EnvelopeException.Reason.INVALID_ARGUMENT,
                    "Missing key ID for layer " + layer + ": set a KMS key ID, ARN or alias");
        }
        return keyId;
    }

    /** Settings of an {@link EnvelopeEncryptor}. */
    public static final class Builder {
        private KeyProvider layer1Provider;
        private String layer1KeyId;
        private KeyProvider layer2Provider;
        private String layer2KeyId;
        private int frameSize = DEFAULT_FRAME_SIZE_IN_BYTES;
        private String layer1JcaProvider;
        private DataKeyReusePolicy reusePolicy = DataKeyReusePolicy.perObject();
        private Clock clock = Clock.systemUTC();

        /** Sets the key service and key of layer 1. */
        public Builder layer1(KeyProvider provider, String keyId) {
            this.layer1Provider = provider;
            this.layer1KeyId = keyId;
            return this;
        }

        /** Sets the key service and key of layer 2; a different KMS key from layer 1 is the stronger setting. */
        public Builder layer2(KeyProvider provider, String keyId) {
            this.layer2Provider = provider;
            this.layer2KeyId = keyId;
            return this;
        }

        /** Sets the plaintext bytes per frame (64 B to 16 MiB, default 256 KiB). */
        public Builder frameSize(int frameSizeInBytes) {
            this.frameSize = frameSizeInBytes;
            return this;
        }

        /** Names the JCA provider of layer 1 (for example "SunJCE"); null or empty takes the JDK's first AES/GCM provider. */
        public Builder layer1JcaProvider(String providerName) {
            this.layer1JcaProvider = providerName;
            return this;
        }

        public Builder dataKeyReuse(DataKeyReusePolicy policy) {
            this.reusePolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Sets the clock that ages reused data keys; for tests. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public EnvelopeEncryptor build() {
            return new EnvelopeEncryptor(this);
        }
    }
}
