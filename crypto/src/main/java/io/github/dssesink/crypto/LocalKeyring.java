package io.github.dssesink.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A keyring of AES-256 master keys read from a JSON file, for development and the local demo. It
 * wraps data keys with AES-256-GCM; the associated data binds the key name and the encryption
 * context, as KMS does. Not for production: the master keys sit in a file.
 *
 * <p>File format: {@code {"keys": {"<name>": "<base64 of 32 bytes>", ...}}}. Disabled keys can be
 * listed in {@code "disabled": ["<name>"]}.
 *
 * <p>Wrapped data key layout: version 0x01, 12-byte random nonce, 32-byte ciphertext, 16-byte tag.
 */
public final class LocalKeyring implements KeyProvider {
    private static final int WRAPPED_VERSION = 1;
    private static final int NONCE_SIZE_IN_BYTES = 12;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, byte[]> masterKeys;
    private final Set<String> disabled = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong calls = new AtomicLong();

    private LocalKeyring(Map<String, byte[]> masterKeys, Set<String> disabled) {
        this.masterKeys = new ConcurrentHashMap<>(masterKeys);
        this.disabled.addAll(disabled);
    }

    /** Creates a keyring from master keys held in memory (32 bytes each). */
    public static LocalKeyring of(Map<String, byte[]> masterKeys) {
        masterKeys.forEach(LocalKeyring::checkMasterKey);
        Map<String, byte[]> copy = new LinkedHashMap<>();
        masterKeys.forEach((name, key) -> copy.put(name, key.clone()));
        return new LocalKeyring(copy, Set.of());
    }

    /** Loads a keyring file. */
    public static LocalKeyring load(Path file) {
        try {
            JsonNode root = JSON.readTree(file.toFile());
            JsonNode keys = root.path("keys");
            if (!keys.isObject() || keys.isEmpty()) {
                throw new EnvelopeException(EnvelopeException.Reason.INVALID_ARGUMENT,
                        "Invalid keyring file " + file + ": expected {\"keys\": {\"name\": \"base64 of 32 bytes\"}}");
            }
            Map<String, byte[]> masterKeys = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : keys.properties()) {
                byte[] key;
                try {
                    key = Base64.getDecoder().decode(entry.getValue().asText());
                } catch (IllegalArgumentException e) {
                    throw new EnvelopeException(EnvelopeException.Reason.INVALID_ARGUMENT,
                            "Invalid keyring file " + file + ": key '" + entry.getKey() + "' is not valid base64");
                }
                checkMasterKey(entry.getKey(), key);
                masterKeys.put(entry.getKey(), key);
            }
            Set<String> disabled = ConcurrentHashMap.newKeySet();
            root.path("disabled").forEach(name -> disabled.add(name.asText()));
            return new LocalKeyring(masterKeys, disabled);
        } catch (IOException e) {
            throw new EnvelopeException(EnvelopeException.Reason.IO, "Reading keyring file " + file + " failed: " + e.getMessage(), e);
        }
    }

    /** Writes a new keyring file with one random master key per name, readable by the owner only where POSIX allows. */
    public static void generate(Path file, String... names) {
        SecureRandom random = new SecureRandom();
        ObjectNode root = JSON.createObjectNode();
        ObjectNode keys = root.putObject("keys");
        for (String name : names) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            keys.put(name, Base64.getEncoder().encodeToString(key));
        }
        try {
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root), StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new EnvelopeException(EnvelopeException.Reason.IO, "Writing keyring file " + file + " failed: " + e.getMessage(), e);
        }
    }

    /** Adds or replaces a master key. */
    public void addKey(String name, byte[] key) {
        checkMasterKey(name, key);
        masterKeys.put(name, key.clone());
    }

    public void disableKey(String name) {
        requireKey(name, "DisableKey");
        disabled.add(name);
    }

    public void enableKey(String name) {
        requireKey(name, "EnableKey");
        disabled.remove(name);
    }

    public Set<String> keyNames() {
        return Collections.unmodifiableSet(masterKeys.keySet());
    }

    @Override
    public KeyProviderId id() {
        return KeyProviderId.LOCAL_KEYRING;
    }

    @Override
    public DataKey generateDataKey(String keyId, Map<String, String> encryptionContext) {
        calls.incrementAndGet();
        byte[] dataKey = new byte[32];
        random.nextBytes(dataKey);
        return new DataKey(dataKey, wrap(keyId, dataKey, encryptionContext), keyId);
    }

    @Override
    public byte[] decryptDataKey(String keyId, byte[] wrappedDataKey, Map<String, String> encryptionContext) {
        calls.incrementAndGet();
        return unwrap(keyId, wrappedDataKey, encryptionContext);
    }

    @Override
    public WrappedDataKey reEncrypt(String sourceKeyId, byte[] wrappedDataKey, Map<String, String> encryptionContext,
                                    String destinationKeyId) {
        calls.incrementAndGet();
        byte[] dataKey = unwrap(sourceKeyId, wrappedDataKey, encryptionContext);
        try {
            return new WrappedDataKey(wrap(destinationKeyId, dataKey, encryptionContext), destinationKeyId);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    @Override
    public KeyDescription describeKey(String keyId) {
        calls.incrementAndGet();
        requireKey(keyId, "DescribeKey");
        boolean enabled = !disabled.contains(keyId);
        return new KeyDescription(keyId, keyId, enabled, true, enabled ? "Enabled" : "Disabled");
    }

    @Override
    public long callCount() {
        return calls.get();
    }

    /** Wraps a given data key; the test vectors use it to wrap fixed data keys. */
    byte[] wrap(String keyId, byte[] dataKey, Map<String, String> context) {
        SecretKeySpec master = usableKey(keyId, "GenerateDataKey");
        byte[] nonce = new byte[NONCE_SIZE_IN_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, master, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(associatedData(keyId, context));
            byte[] sealed = cipher.doFinal(dataKey);
            return ByteBuffer.allocate(1 + NONCE_SIZE_IN_BYTES + sealed.length)
                    .put((byte) WRAPPED_VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is missing from this JDK", e);
        }
    }

    private byte[] unwrap(String keyId, byte[] wrapped, Map<String, String> context) {
        SecretKeySpec master = usableKey(keyId, "Decrypt");
        if (wrapped.length != 1 + NONCE_SIZE_IN_BYTES + 32 + 16 || wrapped[0] != WRAPPED_VERSION) {
            throw new EnvelopeException(EnvelopeException.Reason.WRONG_KEY_OR_CONTEXT,
                    "Local keyring could not unwrap the data key under '" + keyId + "': the wrapped key is malformed");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, master, new GCMParameterSpec(128, wrapped, 1, NONCE_SIZE_IN_BYTES));
            cipher.updateAAD(associatedData(keyId, context));
            return cipher.doFinal(wrapped, 1 + NONCE_SIZE_IN_BYTES, wrapped.length - 1 - NONCE_SIZE_IN_BYTES);
        } catch (AEADBadTagException e) {
            throw new EnvelopeException(EnvelopeException.Reason.WRONG_KEY_OR_CONTEXT, "Local keyring could not unwrap the data key under '"
                    + keyId + "': it was made under another key or with another encryption context", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is missing from this JDK", e);
        }
    }

    private SecretKeySpec usableKey(String keyId, String operation) {
        byte[] key = requireKey(keyId, operation);
        if (disabled.contains(keyId)) {
            throw new EnvelopeException(EnvelopeException.Reason.KEY_DISABLED,
                    "Local keyring " + operation + " failed for key '" + keyId + "': the key is disabled");
        }
        return new SecretKeySpec(key, "AES");
    }

    private byte[] requireKey(String keyId, String operation) {
        byte[] key = keyId == null ? null : masterKeys.get(keyId);
        if (key == null) {
            throw new EnvelopeException(EnvelopeException.Reason.KEY_NOT_FOUND, "Local keyring " + operation + " failed: key '"
                    + keyId + "' is not in the keyring (known: " + masterKeys.keySet() + ")");
        }
        return key;
    }

    private static byte[] associatedData(String keyId, Map<String, String> context) {
        SortedMap<String, String> sorted = EnvelopeHeader.sortedContext(context);
        byte[] name = keyId.getBytes(StandardCharsets.UTF_8);
        byte[] encoded = EnvelopeHeader.encodeContext(sorted);
        return ByteBuffer.allocate(2 + name.length + encoded.length).putShort((short) name.length).put(name).put(encoded).array();
    }

    private static void checkMasterKey(String name, byte[] key) {
        if (name == null || name.isEmpty() || key == null || key.length != 32) {
            throw new EnvelopeException(EnvelopeException.Reason.INVALID_ARGUMENT,
                    "Invalid keyring key '" + name + "': a master key needs a non-empty name and 32 bytes");
        }
    }
}
