package io.github.dssesink.kmslocal;

import static io.github.dssesink.kmslocal.KmsTestSupport.assertKmsErrorCode;
import static io.github.dssesink.kmslocal.KmsTestSupport.assertSdkError;
import static io.github.dssesink.kmslocal.KmsTestSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.EncryptResponse;
import software.amazon.awssdk.services.kms.model.EncryptionAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyWithoutPlaintextResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.InvalidKeyUsageException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.ReEncryptResponse;

/** Data keys, Encrypt, Decrypt and ReEncrypt through the AWS SDK. */
class LocalKmsServerCryptoTest {

    private static final Map<String, String> CONTEXT = Map.of("topic", "orders", "partition", "3");

    private static LocalKmsServer server;
    private static KmsClient kms;

    private LocalKeyMetadata key;

    @BeforeAll
    static void startServer() {
        server = LocalKmsServer.start();
        kms = KmsTestSupport.kmsClient(server);
    }

    @AfterAll
    static void stopServer() {
        kms.close();
        server.close();
    }

    @BeforeEach
    void createKey() {
        key = server.createKey("crypto test key");
    }

    @Test
    void generateDataKeyAes256DecryptsToPlaintext() {
        GenerateDataKeyResponse dataKey = kms.generateDataKey(request -> request
                .keyId(key.keyId()).keySpec(DataKeySpec.AES_256).encryptionContext(CONTEXT));

        byte[] plaintext = dataKey.plaintext().asByteArray();
        assertEquals(32, plaintext.length);
        assertEquals(key.arn(), dataKey.keyId());
        assertFalse(contains(dataKey.ciphertextBlob().asByteArray(), plaintext));

        DecryptResponse decrypted = kms.decrypt(request -> request
                .ciphertextBlob(dataKey.ciphertextBlob()).encryptionContext(CONTEXT));
        assertArrayEquals(plaintext, decrypted.plaintext().asByteArray());
        assertEquals(key.arn(), decrypted.keyId());
        assertEquals(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT, decrypted.encryptionAlgorithm());
    }

    @Test
    void generateDataKeySizes() {
        assertEquals(16, kms.generateDataKey(request -> request.keyId(key.keyId()).keySpec(DataKeySpec.AES_128))
                .plaintext().asByteArray().length);
        for (int numberOfBytes : new int[] {1, 64, 1024}) {
            GenerateDataKeyResponse dataKey = kms.generateDataKey(request -> request
                    .keyId(key.keyId()).numberOfBytes(numberOfBytes));
            assertEquals(numberOfBytes, dataKey.plaintext().asByteArray().length);
            byte[] decrypted = kms.decrypt(request -> request.ciphertextBlob(dataKey.ciphertextBlob()))
                    .plaintext().asByteArray();
            assertArrayEquals(dataKey.plaintext().asByteArray(), decrypted);
        }
    }

    @Test
    void generateDataKeyRejectsInvalidSize() {
        assertKmsErrorCode("ValidationException", () -> kms.generateDataKey(request -> request
                .keyId(key.keyId()).numberOfBytes(0)));
        assertKmsErrorCode("ValidationException", () -> kms.generateDataKey(request -> request
                .keyId(key.keyId()).numberOfBytes(1025)));
        assertKmsErrorCode("ValidationException", () -> kms.generateDataKey(request -> request
                .keyId(key.keyId()).keySpec("AES_512")));
        assertKmsErrorCode("ValidationException", () -> kms.generateDataKey(request -> request
                .keyId(key.keyId()).keySpec(DataKeySpec.AES_256).numberOfBytes(32)));
        assertKmsErrorCode("ValidationException", () -> kms.generateDataKey(request -> request
                .keyId(key.keyId())));
        assertKmsErrorCode("ValidationException", () -> kms.generateDataKey(request -> request
                .keySpec(DataKeySpec.AES_256)));
    }

    @Test
    void generateDataKeyReturnsFreshKeys() {
        GenerateDataKeyResponse first = kms.generateDataKey(request -> request
                .keyId(key.keyId()).keySpec(DataKeySpec.AES_256));
        GenerateDataKeyResponse second = kms.generateDataKey(request -> request
                .keyId(key.keyId()).keySpec(DataKeySpec.AES_256));

        assertFalse(Arrays.equals(first.plaintext().asByteArray(), second.plaintext().asByteArray()));
        assertFalse(Arrays.equals(first.ciphertextBlob().asByteArray(), second.ciphertextBlob().asByteArray()));
    }

    @Test
    void generateDataKeyWithoutPlaintextDecrypts() {
        GenerateDataKeyWithoutPlaintextResponse dataKey = kms.generateDataKeyWithoutPlaintext(request -> request
                .keyId(key.arn()).keySpec(DataKeySpec.AES_256).encryptionContext(CONTEXT));

        assertEquals(key.arn(), dataKey.keyId());
        DecryptResponse decrypted = kms.decrypt(request -> request
                .ciphertextBlob(dataKey.ciphertextBlob()).encryptionContext(CONTEXT));
        assertEquals(32, decrypted.plaintext().asByteArray().length);
        assertEquals(key.arn(), decrypted.keyId());
    }

    @Test
    void encryptDecryptRoundTrip() {
        EncryptResponse encrypted = kms.encrypt(request -> request
                .keyId(key.keyId()).plaintext(utf8("record batch key")).encryptionContext(CONTEXT));

        assertEquals(key.arn(), encrypted.keyId());
        assertEquals(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT, encrypted.encryptionAlgorithm());
        DecryptResponse decrypted = kms.decrypt(request -> request
                .ciphertextBlob(encrypted.ciphertextBlob()).encryptionContext(CONTEXT));
        assertEquals("record batch key", decrypted.plaintext().asUtf8String());
    }

    @Test
    void encryptPlaintextLengthLimits() {
        byte[] largest = new byte[4096];
        Arrays.fill(largest, (byte) 7);
        EncryptResponse encrypted = kms.encrypt(request -> request
                .keyId(key.keyId()).plaintext(SdkBytes.fromByteArray(largest)));
        assertArrayEquals(largest, kms.decrypt(request -> request.ciphertextBlob(encrypted.ciphertextBlob()))
                .plaintext().asByteArray());

        assertKmsErrorCode("ValidationException", () -> kms.encrypt(request -> request
                .keyId(key.keyId()).plaintext(SdkBytes.fromByteArray(new byte[4097]))));
        assertKmsErrorCode("ValidationException", () -> kms.encrypt(request -> request
                .keyId(key.keyId()).plaintext(SdkBytes.fromByteArray(new byte[0]))));
    }

    @Test
    void decryptAcceptsContextInAnyOrder() {
        Map<String, String> forward = new LinkedHashMap<>();
        forward.put("a", "1");
        forward.put("b", "2");
        Map<String, String> backward = new LinkedHashMap<>();
        backward.put("b", "2");
        backward.put("a", "1");
        EncryptResponse encrypted = kms.encrypt(request -> request
                .keyId(key.keyId()).plaintext(utf8("x")).encryptionContext(forward));

        assertEquals("x", kms.decrypt(request -> request
                .ciphertextBlob(encrypted.ciphertextBlob()).encryptionContext(backward)).plaintext().asUtf8String());
    }

    @Test
    void decryptRejectsAnyContextMismatch() {
        EncryptResponse encrypted = kms.encrypt(request -> request
                .keyId(key.keyId()).plaintext(utf8("secret")).encryptionContext(CONTEXT));

        List<Map<String, String>> wrongContexts = List.of(
                Map.of(),
                Map.of("topic", "orders"),
                Map.of("topic", "orders", "partition", "3", "extra", "x"),
                Map.of("topic", "orders", "partition", "4"),
                Map.of("topic", "orders", "Partition", "3"),
                Map.of("topic", "orders3", "partition", ""));
        for (Map<String, String> wrongContext : wrongContexts) {
            InvalidCiphertextException error = assertSdkError(InvalidCiphertextException.class, () -> kms.decrypt(
                    request -> request.ciphertextBlob(encrypted.ciphertextBlob()).encryptionContext(wrongContext)));
            assertTrue(error.awsErrorDetails().errorMessage().contains("encryption context"),
                    error.awsErrorDetails().errorMessage());
        }
    }

    @Test
    void decryptRejectsUnexpectedContext() {
        EncryptResponse encrypted = kms.encrypt(request -> request.keyId(key.keyId()).plaintext(utf8("secret")));

        assertSdkError(InvalidCiphertextException.class, () -> kms.decrypt(request -> request
                .ciphertextBlob(encrypted.ciphertextBlob()).encryptionContext(Map.of("topic", "orders"))));
        assertEquals("secret", kms.decrypt(request -> request
                .ciphertextBlob(encrypted.ciphertextBlob()).encryptionContext(Map.of())).plaintext().asUtf8String());
    }

    @Test
    void decryptRejectsEveryChangedByte() {
        byte[] blob = kms.encrypt(request -> request
                .keyId(key.keyId()).plaintext(utf8("secret")).encryptionContext(CONTEXT))
                .ciphertextBlob().asByteArray();

        for (int i = 0; i < blob.length; i++) {
            byte[] changed = blob.clone();
            changed[i] ^= 0x01;
            int index = i;
            InvalidCiphertextException error = assertSdkError(InvalidCiphertextException.class, () -> kms.decrypt(
                    request -> request.ciphertextBlob(SdkBytes.fromByteArray(changed)).encryptionContext(CONTEXT)));
            assertTrue(error.awsErrorDetails().errorMessage().startsWith("The ciphertext is invalid"),
                    "byte " + index + ": " + error.awsErrorDetails().errorMessage());
        }
    }

    @Test
    void decryptRejectsTruncatedBlob() {
        byte[] blob = kms.encrypt(request -> request.keyId(key.keyId()).plaintext(utf8("secret")))
                .ciphertextBlob().asByteArray();

        for (int length : new int[] {1, 2, 10, 38, 50, blob.length - 16, blob.length - 1}) {
            byte[] truncated = Arrays.copyOf(blob, length);
            assertSdkError(InvalidCiphertextException.class, () -> kms.decrypt(request -> request
                    .ciphertextBlob(SdkBytes.fromByteArray(truncated))));
        }
        assertKmsErrorCode("ValidationException", () -> kms.decrypt(request -> request
                .ciphertextBlob(SdkBytes.fromByteArray(new byte[0]))));
    }

    @Test
    void decryptRejectsBlobOfAnotherServer() {
        byte[] foreignBlob;
        try (LocalKmsServer other = LocalKmsServer.start(); KmsClient otherKms = KmsTestSupport.kmsClient(other)) {
            LocalKeyMetadata otherKey = other.createKey("other server key");
            foreignBlob = otherKms.encrypt(request -> request.keyId(otherKey.keyId()).plaintext(utf8("x")))
                    .ciphertextBlob().asByteArray();
        }

        InvalidCiphertextException error = assertSdkError(InvalidCiphertextException.class, () -> kms.decrypt(
                request -> request.ciphertextBlob(SdkBytes.fromByteArray(foreignBlob))));
        assertTrue(error.awsErrorDetails().errorMessage().contains("does not exist"),
                error.awsErrorDetails().errorMessage());
    }

    @Test
    void decryptChecksGivenKeyId() {
        server.createAlias("alias/decrypt-check-" + key.keyId(), key.keyId());
        LocalKeyMetadata otherKey = server.createKey("other key");
        SdkBytes blob = kms.encrypt(request -> request.keyId(key.keyId()).plaintext(utf8("x"))).ciphertextBlob();

        List<String> sameKeyIdentifiers = List.of(key.keyId(), key.arn(), "alias/decrypt-check-" + key.keyId(),
                "arn:aws:kms:us-east-1:111122223333:alias/decrypt-check-" + key.keyId());
        for (String identifier : sameKeyIdentifiers) {
            DecryptResponse decrypted = kms.decrypt(request -> request.ciphertextBlob(blob).keyId(identifier));
            assertEquals("x", decrypted.plaintext().asUtf8String(), identifier);
            assertEquals(key.arn(), decrypted.keyId(), identifier);
        }

        IncorrectKeyException error = assertSdkError(IncorrectKeyException.class, () -> kms.decrypt(
                request -> request.ciphertextBlob(blob).keyId(otherKey.arn())));
        assertTrue(error.awsErrorDetails().errorMessage().contains(key.arn()));
        assertSdkError(NotFoundException.class, () -> kms.decrypt(
                request -> request.ciphertextBlob(blob).keyId("00000000-0000-0000-0000-000000000000")));
    }

    @Test
    void reEncryptMovesBlobToDestinationKey() {
        LocalKeyMetadata destination = server.createKey("destination key");
        String destinationAlias = server.createAlias("reencrypt-destination-" + destination.keyId(),
                destination.keyId());
        Map<String, String> destinationContext = Map.of("topic", "orders-archive");
        SdkBytes source = kms.encrypt(request -> request
                .keyId(key.keyId()).plaintext(utf8("data key")).encryptionContext(CONTEXT)).ciphertextBlob();

        ReEncryptResponse reEncrypted = kms.reEncrypt(request -> request
                .ciphertextBlob(source)
                .sourceEncryptionContext(CONTEXT)
                .sourceKeyId(key.arn())
                .destinationKeyId(destinationAlias)
                .destinationEncryptionContext(destinationContext));

        assertEquals(key.arn(), reEncrypted.sourceKeyId());
        assertEquals(destination.arn(), reEncrypted.keyId());
        assertEquals(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT, reEncrypted.sourceEncryptionAlgorithm());
        assertEquals(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT, reEncrypted.destinationEncryptionAlgorithm());

        DecryptResponse decrypted = kms.decrypt(request -> request
                .ciphertextBlob(reEncrypted.ciphertextBlob()).encryptionContext(destinationContext));
        assertEquals("data key", decrypted.plaintext().asUtf8String());
        assertEquals(destination.arn(), decrypted.keyId());
        assertSdkError(InvalidCiphertextException.class, () -> kms.decrypt(request -> request
                .ciphertextBlob(reEncrypted.ciphertextBlob()).encryptionContext(CONTEXT)));
        assertSdkError(IncorrectKeyException.class, () -> kms.decrypt(request -> request
                .ciphertextBlob(reEncrypted.ciphertextBlob()).encryptionContext(destinationContext)
                .keyId(key.keyId())));
    }

    @Test
    void reEncryptRejectsWrongSource() {
        LocalKeyMetadata destination = server.createKey("destination key");
        SdkBytes source = kms.encrypt(request -> request
                .keyId(key.keyId()).plaintext(utf8("data key")).encryptionContext(CONTEXT)).ciphertextBlob();

        assertSdkError(IncorrectKeyException.class, () -> kms.reEncrypt(request -> request
                .ciphertextBlob(source).sourceEncryptionContext(CONTEXT)
                .sourceKeyId(destination.keyId()).destinationKeyId(destination.keyId())));
        assertSdkError(InvalidCiphertextException.class, () -> kms.reEncrypt(request -> request
                .ciphertextBlob(source).sourceEncryptionContext(Map.of("topic", "orders"))
                .destinationKeyId(destination.keyId())));
        assertSdkError(NotFoundException.class, () -> kms.reEncrypt(request -> request
                .ciphertextBlob(source).sourceEncryptionContext(CONTEXT)
                .destinationKeyId("alias/no-such-destination")));
    }

    @Test
    void disabledKeyRejectsCryptoUntilEnabled() {
        LocalKeyMetadata other = server.createKey("enabled key");
        SdkBytes blob = kms.encrypt(request -> request
                .keyId(key.keyId()).plaintext(utf8("kept")).encryptionContext(CONTEXT)).ciphertextBlob();
        SdkBytes otherBlob = kms.encrypt(request -> request.keyId(other.keyId()).plaintext(utf8("other")))
                .ciphertextBlob();

        kms.disableKey(request -> request.keyId(key.arn()));

        KeyMetadata disabled = kms.describeKey(request -> request.keyId(key.keyId())).keyMetadata();
        assertEquals(KeyState.DISABLED, disabled.keyState());
        assertFalse(disabled.enabled());
        assertFalse(server.describeKey(key.keyId()).enabled());
        DisabledException error = assertSdkError(DisabledException.class, () -> kms.generateDataKey(request -> request
                .keyId(key.keyId()).keySpec(DataKeySpec.AES_256)));
        assertTrue(error.awsErrorDetails().errorMessage().contains(key.arn()));
        assertSdkError(DisabledException.class, () -> kms.generateDataKeyWithoutPlaintext(request -> request
                .keyId(key.keyId()).keySpec(DataKeySpec.AES_256)));
        assertSdkError(DisabledException.class, () -> kms.encrypt(request -> request
                .keyId(key.keyId()).plaintext(utf8("x"))));
        assertSdkError(DisabledException.class, () -> kms.decrypt(request -> request
                .ciphertextBlob(blob).encryptionContext(CONTEXT)));
        assertSdkError(DisabledException.class, () -> kms.reEncrypt(request -> request
                .ciphertextBlob(blob).sourceEncryptionContext(CONTEXT).destinationKeyId(other.keyId())));
        assertSdkError(DisabledException.class, () -> kms.reEncrypt(request -> request
                .ciphertextBlob(otherBlob).destinationKeyId(key.keyId())));

        kms.enableKey(request -> request.keyId(key.keyId()));

        KeyMetadata enabled = kms.describeKey(request -> request.keyId(key.keyId())).keyMetadata();
        assertEquals(KeyState.ENABLED, enabled.keyState());
        assertTrue(enabled.enabled());
        assertEquals("kept", kms.decrypt(request -> request.ciphertextBlob(blob).encryptionContext(CONTEXT))
                .plaintext().asUtf8String());
    }

    @Test
    void javaApiDisablesAndEnablesKey() {
        server.disableKey(key.arn());
        assertSdkError(DisabledException.class, () -> kms.generateDataKey(request -> request
                .keyId(key.keyId()).keySpec(DataKeySpec.AES_256)));

        server.enableKey(key.keyId());
        assertEquals(32, kms.generateDataKey(request -> request.keyId(key.keyId()).keySpec(DataKeySpec.AES_256))
                .plaintext().asByteArray().length);
    }

    @Test
    void nonSymmetricKeysRejectEncryption() {
        List<LocalKeyMetadata> keys = List.of(
                server.createKey("rsa encrypt", "RSA_2048", "ENCRYPT_DECRYPT"),
                server.createKey("rsa sign", "RSA_2048", "SIGN_VERIFY"),
                server.createKey("ecc sign", "ECC_NIST_P256", "SIGN_VERIFY"),
                server.createKey("hmac", "HMAC_256", "GENERATE_VERIFY_MAC"));
        SdkBytes blob = kms.encrypt(request -> request.keyId(key.keyId()).plaintext(utf8("x"))).ciphertextBlob();

        for (LocalKeyMetadata asymmetric : keys) {
            InvalidKeyUsageException error = assertSdkError(InvalidKeyUsageException.class, () -> kms.generateDataKey(
                    request -> request.keyId(asymmetric.keyId()).keySpec(DataKeySpec.AES_256)));
            assertTrue(error.awsErrorDetails().errorMessage().contains(asymmetric.keySpec()));
            assertSdkError(InvalidKeyUsageException.class, () -> kms.generateDataKeyWithoutPlaintext(
                    request -> request.keyId(asymmetric.keyId()).keySpec(DataKeySpec.AES_256)));
            assertSdkError(InvalidKeyUsageException.class, () -> kms.encrypt(
                    request -> request.keyId(asymmetric.keyId()).plaintext(utf8("x"))));
            assertSdkError(InvalidKeyUsageException.class, () -> kms.reEncrypt(
                    request -> request.ciphertextBlob(blob).destinationKeyId(asymmetric.keyId())));
        }
    }

    @Test
    void encryptRejectsAsymmetricAlgorithm() {
        assertSdkError(InvalidKeyUsageException.class, () -> kms.encrypt(request -> request
                .keyId(key.keyId()).plaintext(utf8("x")).encryptionAlgorithm(EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256)));
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }
}
