package io.github.dssesink.crypto;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.DependencyTimeoutException;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.InvalidKeyUsageException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUnavailableException;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInternalException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.ReEncryptResponse;

/**
 * Data keys from AWS KMS through the AWS SDK v2 {@link KmsClient}: GenerateDataKey (AES_256),
 * Decrypt pinned to the recorded key ID, ReEncrypt and DescribeKey. Key IDs may be key IDs, key
 * ARNs, alias names or alias ARNs; the key block records the key ARN that KMS returns.
 */
public final class AwsKmsKeyProvider implements KeyProvider {
    private final KmsClient kms;
    private final AtomicLong calls = new AtomicLong();

    /** Wraps a client that the caller configured (region, credentials, endpoint) and closes. */
    public AwsKmsKeyProvider(KmsClient kms) {
        this.kms = Objects.requireNonNull(kms, "kms");
    }

    @Override
    public KeyProviderId id() {
        return KeyProviderId.AWS_KMS;
    }

    @Override
    public DataKey generateDataKey(String keyId, Map<String, String> encryptionContext) {
        GenerateDataKeyResponse response = call("GenerateDataKey", keyId, () -> kms.generateDataKey(b -> b
                .keyId(keyId)
                .keySpec(DataKeySpec.AES_256)
                .encryptionContext(encryptionContext)));
        return new DataKey(response.plaintext().asByteArray(), response.ciphertextBlob().asByteArray(), response.keyId());
    }

    @Override
    public byte[] decryptDataKey(String keyId, byte[] wrappedDataKey, Map<String, String> encryptionContext) {
        DecryptResponse response = call("Decrypt", keyId, () -> kms.decrypt(b -> b
                .keyId(keyId)
                .ciphertextBlob(SdkBytes.fromByteArray(wrappedDataKey))
                .encryptionContext(encryptionContext)));
        return response.plaintext().asByteArray();
    }

    @Override
    public WrappedDataKey reEncrypt(String sourceKeyId, byte[] wrappedDataKey, Map<String, String> encryptionContext,
                                    String destinationKeyId) {
        ReEncryptResponse response = call("ReEncrypt", sourceKeyId + " -> " + destinationKeyId, () -> kms.reEncrypt(b -> b
                .sourceKeyId(sourceKeyId)
                .ciphertextBlob(SdkBytes.fromByteArray(wrappedDataKey))
                .sourceEncryptionContext(encryptionContext)
                .destinationKeyId(destinationKeyId)
                .destinationEncryptionContext(encryptionContext)));
        return new WrappedDataKey(response.ciphertextBlob().asByteArray(), response.keyId());
    }

    @Override
    public KeyDescription describeKey(String keyId) {
        KeyMetadata metadata = call("DescribeKey", keyId, () -> kms.describeKey(b -> b.keyId(keyId))).keyMetadata();
        boolean symmetric = metadata.keyUsage() == KeyUsageType.ENCRYPT_DECRYPT
                && (metadata.keySpec() == null || metadata.keySpec() == KeySpec.SYMMETRIC_DEFAULT);
        boolean enabled = Boolean.TRUE.equals(metadata.enabled()) && metadata.keyState() == KeyState.ENABLED;
        return new KeyDescription(metadata.keyId(), metadata.arn(), enabled, symmetric, metadata.keyStateAsString());
    }

    @Override
    public long callCount() {
        return calls.get();
    }

    private <T> T call(String operation, String keyId, Supplier<T> request) {
        calls.incrementAndGet();
        try {
            return request.get();
        } catch (NotFoundException e) {
            throw failure(EnvelopeException.Reason.KEY_NOT_FOUND, operation, keyId, "the KMS key was not found", e);
        } catch (DisabledException | KmsInvalidStateException e) {
            throw failure(EnvelopeException.Reason.KEY_DISABLED, operation, keyId, "the KMS key is disabled or not usable in its state", e);
        } catch (InvalidCiphertextException | IncorrectKeyException e) {
            throw failure(EnvelopeException.Reason.WRONG_KEY_OR_CONTEXT, operation, keyId,
                    "KMS rejected the wrapped data key: it was made under another key or with another encryption context", e);
        } catch (InvalidKeyUsageException e) {
            throw failure(EnvelopeException.Reason.INVALID_KEY_USAGE, operation, keyId,
                    "the KMS key is not a symmetric ENCRYPT_DECRYPT key", e);
        } catch (KeyUnavailableException | KmsInternalException | DependencyTimeoutException | SdkClientException e) {
            throw failure(EnvelopeException.Reason.KEY_SERVICE_UNAVAILABLE, operation, keyId, "KMS could not be reached or failed", e);
        } catch (KmsException e) {
            // The SDK has no class for AccessDeniedException: it arrives as a KmsException with that error code.
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if ("AccessDeniedException".equals(code) || e.statusCode() == 403) {
                throw failure(EnvelopeException.Reason.ACCESS_DENIED, operation, keyId,
                        "access denied; grant kms:" + operation + " on the key", e);
            }
            EnvelopeException.Reason reason = e.statusCode() >= 500 || e.isThrottlingException()
                    ? EnvelopeException.Reason.KEY_SERVICE_UNAVAILABLE : EnvelopeException.Reason.INVALID_ARGUMENT;
            throw failure(reason, operation, keyId, "KMS returned " + code, e);
        }
    }

    private static EnvelopeException failure(EnvelopeException.Reason reason, String operation, String keyId,
                                             String what, Exception cause) {
        // The SDK messages name the operation and key, never key material, so they may be kept.
        return new EnvelopeException(reason, "KMS " + operation + " failed for key '" + keyId + "': " + what
                + " (" + cause.getMessage() + ")", cause);
    }
}
