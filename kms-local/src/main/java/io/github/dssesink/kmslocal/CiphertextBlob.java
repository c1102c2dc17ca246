package io.github.dssesink.kmslocal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The ciphertext blob format of this server. It is not the AWS KMS format, which is not public,
 * so callers must treat blobs as opaque, as they must with AWS KMS.
 *
 * <p>Layout:
 * <pre>
 *   1 byte    format version, 0x01
 *   1 byte    length N of the key ID in bytes, 1..255
 *   N bytes   key ID, US-ASCII
 *  12 bytes   nonce, random per blob
 *   rest      AES-256-GCM ciphertext of the plaintext, followed by the 16-byte tag
 * </pre>
 *
 * <p>The additional authenticated data is the header (version, key ID length, key ID) followed by
 * the canonical encryption context: for each entry in ascending order of key
 * ({@link String#compareTo}), a 4-byte big-endian length and the UTF-8 bytes of the key, then the
 * same for the value. So decryption with a context that differs in any way (an entry more, an
 * entry less, another value) fails the tag check, and so does a changed or truncated blob.
 *
 * @param keyId the ID of the key that encrypted the blob
 * @param nonce the GCM nonce
 * @param sealed the GCM ciphertext with the tag appended
 */
record CiphertextBlob(String keyId, byte[] nonce, byte[] sealed) {

    static final byte FORMAT_VERSION = 0x01;
    static final int NONCE_SIZE_IN_BYTES = 12;
    static final int TAG_SIZE_IN_BYTES = 16;
    private static final int TAG_SIZE_IN_BITS = TAG_SIZE_IN_BYTES * 8;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    /** Encrypts the plaintext under a symmetric key, bound to the encryption context. */
    static byte[] encrypt(LocalKey key, byte[] plaintext, SortedMap<String, String> encryptionContext,
                          SecureRandom random) {
        byte[] nonce = new byte[NONCE_SIZE_IN_BYTES];
        random.nextBytes(nonce);
        byte[] header = header(key.keyId());

        byte[] sealed;
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key.material(), new GCMParameterSpec(TAG_SIZE_IN_BITS, nonce));
            cipher.updateAAD(additionalData(header, encryptionContext));
            sealed = cipher.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed under key " + key.arn(), e);
        }

        return ByteBuffer.allocate(header.length + nonce.length + sealed.length)
                .put(header)
                .put(nonce)
                .put(sealed)
                .array();
    }

    /**
     * Parses the layout of a blob without decrypting it.
     *
     * @throws KmsServiceException InvalidCiphertextException if the blob is too short, has another
     *     version or a key ID that is not ASCII
     */
    static CiphertextBlob parse(byte[] blob) {
        if (blob.length < 2 || blob[0] != FORMAT_VERSION) {
            throw KmsServiceException.invalidCiphertext(
                    "The ciphertext is invalid: it was not produced by this local KMS server or is corrupted");
        }
        int keyIdLength = Byte.toUnsignedInt(blob[1]);
        int nonceStart = 2 + keyIdLength;
        if (keyIdLength == 0 || blob.length < nonceStart + NONCE_SIZE_IN_BYTES + TAG_SIZE_IN_BYTES) {
            throw KmsServiceException.invalidCiphertext("The ciphertext is invalid: it is truncated or corrupted");
        }

        byte[] keyIdBytes = Arrays.copyOfRange(blob, 2, nonceStart);
        for (byte b : keyIdBytes) {
            if (b < 0x20 || b > 0x7e) {
                throw KmsServiceException.invalidCiphertext("The ciphertext is invalid: its key ID is corrupted");
            }
        }
        String keyId = new String(keyIdBytes, StandardCharsets.US_ASCII);
        byte[] nonce = Arrays.copyOfRange(blob, nonceStart, nonceStart + NONCE_SIZE_IN_BYTES);
        byte[] sealed = Arrays.copyOfRange(blob, nonceStart + NONCE_SIZE_IN_BYTES, blob.length);
        return new CiphertextBlob(keyId, nonce, sealed);
    }

    /**
     * Decrypts the blob with the key whose ID it records.
     *
     * @throws KmsServiceException InvalidCiphertextException if the tag check fails, because the
     *     blob was changed or the encryption context differs from the one used to encrypt
     */
    byte[] decrypt(LocalKey key, SortedMap<String, String> encryptionContext) {
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key.material(), new GCMParameterSpec(TAG_SIZE_IN_BITS, nonce));
            cipher.updateAAD(additionalData(header(keyId), encryptionContext));
            return cipher.doFinal(sealed);
        } catch (AEADBadTagException e) {
            throw KmsServiceException.invalidCiphertext("The ciphertext is invalid: it is corrupted, "
                    + "or the encryption context differs from the one used to encrypt it");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed under key " + key.arn(), e);
        }
    }

    private static byte[] header(String keyId) {
        byte[] keyIdBytes = keyId.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(2 + keyIdBytes.length)
                .put(FORMAT_VERSION)
                .put((byte) keyIdBytes.length)
                .put(keyIdBytes)
                .array();
    }

    private static byte[] additionalData(byte[] header, SortedMap<String, String> encryptionContext) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        for (Map.Entry<String, String> entry : encryptionContext.entrySet()) {
            writeLengthPrefixed(out, entry.getKey());
            writeLengthPrefixed(out, entry.getValue());
        }
        return out.toByteArray();
    }

    private static void writeLengthPrefixed(ByteArrayOutputStream out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }
}
