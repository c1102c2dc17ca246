package io.github.dssesink.kmslocal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * The KMS operations of the server: each reads a JSON request and returns a JSON response with the
 * field names of the AWS KMS API, or raises {@link KmsServiceException}.
 *
 * <p>Each operation checks in this order: the request fields, the key (for Decrypt and ReEncrypt,
 * the one the blob names), the denials, the key state and key usage, and last the authentication
 * tag of the ciphertext. A request with several faults gets the error of the first check it fails.
 */
final class KmsOperations {

    static final String SYMMETRIC_DEFAULT = "SYMMETRIC_DEFAULT";
    /** The IAM actions that a denial of ReEncrypt covers: the source key and the destination key. */
    static final String REENCRYPT_FROM = "ReEncryptFrom";
    static final String REENCRYPT_TO = "ReEncryptTo";

    /** Limits of the AWS KMS API: Encrypt takes up to 4 KiB, data keys are 1 to 1024 bytes. */
    private static final int MAX_PLAINTEXT_BYTES = 4096;
    private static final int MAX_DATA_KEY_BYTES = 1024;
    private static final int MAX_CIPHERTEXT_BLOB_BYTES = 6144;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @FunctionalInterface
    interface Operation {
        ObjectNode apply(ObjectNode request, CallTrace trace);
    }

    private final KeyRegistry keys;
    private final DenyList denials;
    private final SecureRandom random;
    private final Map<String, Operation> operations = new LinkedHashMap<>();

    KmsOperations(KeyRegistry keys, DenyList denials, SecureRandom random) {
        this.keys = keys;
        this.denials = denials;
        this.random = random;

        operations.put("GenerateDataKey", (request, trace) -> generateDataKey(request, trace, true));
        operations.put("GenerateDataKeyWithoutPlaintext", (request, trace) -> generateDataKey(request, trace, false));
        operations.put("Encrypt", this::encrypt);
        operations.put("Decrypt", this::decrypt);
        operations.put("ReEncrypt", this::reEncrypt);
        operations.put("DescribeKey", this::describeKey);
        operations.put("CreateKey", this::createKey);
        operations.put("CreateAlias", this::createAlias);
        operations.put("ListAliases", this::listAliases);
        operations.put("EnableKey", (request, trace) -> setEnabled(request, trace, true));
        operations.put("DisableKey", (request, trace) -> setEnabled(request, trace, false));
    }

    /** Returns the names of the supported operations, as they appear after "TrentService.". */
    Set<String> names() {
        return operations.keySet();
    }

    /** Returns the operation, or raises UnsupportedOperationException if the server does not implement it. */
    Operation find(String name) {
        Operation operation = operations.get(name);
        if (operation == null) {
            throw KmsServiceException.unsupportedOperation("Operation " + name
                    + " is not supported by this local KMS server; supported operations: " + names());
        }
        return operation;
    }

    private ObjectNode generateDataKey(ObjectNode request, CallTrace trace, boolean withPlaintext) {
        String keyId = RequestFields.requiredString(request, "KeyId");
        SortedMap<String, String> context = RequestFields.encryptionContext(request, "EncryptionContext");
        trace.encryptionContext(context);
        int dataKeySize = dataKeySizeInBytes(request);

        LocalKey key = keys.resolve(keyId);
        trace.key(key);
        denials.check(trace.operation(), key.arn());
        requireUsableForEncryption(key, trace.operation());

        byte[] plaintext = new byte[dataKeySize];
        random.nextBytes(plaintext);
        ObjectNode response = JSON.objectNode()
                .put("CiphertextBlob", base64(CiphertextBlob.encrypt(key, plaintext, context, random)))
                .put("KeyId", key.arn());
        if (withPlaintext) {
            response.put("Plaintext", base64(plaintext));
        }
        return response;
    }

    private static int dataKeySizeInBytes(ObjectNode request) {
        String keySpec = RequestFields.optionalString(request, "KeySpec");
        Integer numberOfBytes = RequestFields.optionalInt(request, "NumberOfBytes");
        if (keySpec != null && numberOfBytes != null) {
            throw KmsServiceException.validation("Give either KeySpec or NumberOfBytes, not both");
        }
        if (keySpec == null && numberOfBytes == null) {
            throw KmsServiceException.validation("Missing KeySpec or NumberOfBytes: one of them is required");
        }

        if (keySpec != null) {
            switch (keySpec) {
                case "AES_256":
                    return 32;
                case "AES_128":
                    return 16;
                default:
                    throw KmsServiceException.validation("KeySpec '" + keySpec
                            + "' is invalid for a data key; use AES_256 or AES_128");
            }
        }
        if (numberOfBytes < 1 || numberOfBytes > MAX_DATA_KEY_BYTES) {
            throw KmsServiceException.validation("NumberOfBytes must be 1 to " + MAX_DATA_KEY_BYTES
                    + ", got " + numberOfBytes);
        }
        return numberOfBytes;
    }

    private ObjectNode encrypt(ObjectNode request, CallTrace trace) {
        String keyId = RequestFields.requiredString(request, "KeyId");
        SortedMap<String, String> context = RequestFields.encryptionContext(request, "EncryptionContext");
        trace.encryptionContext(context);
        byte[] plaintext = RequestFields.requiredBlob(request, "Plaintext", 1, MAX_PLAINTEXT_BYTES);
        String algorithm = RequestFields.optionalString(request, "EncryptionAlgorithm");

        LocalKey key = keys.resolve(keyId);
        trace.key(key);
        denials.check(trace.operation(), key.arn());
        requireUsableForEncryption(key, trace.operation());
        requireSymmetricAlgorithm(algorithm, "EncryptionAlgorithm", key);

        return JSON.objectNode()
                .put("CiphertextBlob", base64(CiphertextBlob.encrypt(key, plaintext, context, random)))
                .put("KeyId", key.arn())
                .put("EncryptionAlgorithm", SYMMETRIC_DEFAULT);
    }

    private ObjectNode decrypt(ObjectNode request, CallTrace trace) {
        byte[] ciphertext = RequestFields.requiredBlob(request, "CiphertextBlob", 1, MAX_CIPHERTEXT_BLOB_BYTES);
        SortedMap<String, String> context = RequestFields.encryptionContext(request, "EncryptionContext");
        trace.encryptionContext(context);
        String expectedKeyId = RequestFields.optionalString(request, "KeyId");
        String algorithm = RequestFields.optionalString(request, "EncryptionAlgorithm");

        CiphertextBlob blob = CiphertextBlob.parse(ciphertext);
        LocalKey key = keyOfBlob(blob);
        trace.key(key);
        requireExpectedKey(expectedKeyId, "KeyId", key);
        denials.check(trace.operation(), key.arn());
        requireEnabled(key);
        requireSymmetricAlgorithm(algorithm, "EncryptionAlgorithm", key);

        byte[] plaintext = blob.decrypt(key, context);
        return JSON.objectNode()
                .put("KeyId", key.arn())
                .put("Plaintext", base64(plaintext))
                .put("EncryptionAlgorithm", SYMMETRIC_DEFAULT);
    }

    private ObjectNode reEncrypt(ObjectNode request, CallTrace trace) {
        byte[] ciphertext = RequestFields.requiredBlob(request, "CiphertextBlob", 1, MAX_CIPHERTEXT_BLOB_BYTES);
        SortedMap<String, String> sourceContext =
                RequestFields.encryptionContext(request, "SourceEncryptionContext");
        String expectedSourceKeyId = RequestFields.optionalString(request, "SourceKeyId");
        String destinationKeyId = RequestFields.requiredString(request, "DestinationKeyId");
        SortedMap<String, String> destinationContext =
                RequestFields.encryptionContext(request, "DestinationEncryptionContext");
        trace.encryptionContext(destinationContext);
        String sourceAlgorithm = RequestFields.optionalString(request, "SourceEncryptionAlgorithm");
        String destinationAlgorithm = RequestFields.optionalString(request, "DestinationEncryptionAlgorithm");

        CiphertextBlob blob = CiphertextBlob.parse(ciphertext);
        LocalKey source = keyOfBlob(blob);
        requireExpectedKey(expectedSourceKeyId, "SourceKeyId", source);
        LocalKey destination = keys.resolve(destinationKeyId);
        trace.key(destination);

        // A denial of "ReEncrypt" covers both keys. ReEncryptFrom and ReEncryptTo are the per-key IAM actions.
        denials.check(trace.operation(), source.arn());
        denials.check(REENCRYPT_FROM, source.arn());
        denials.check(trace.operation(), destination.arn());
        denials.check(REENCRYPT_TO, destination.arn());
        requireEnabled(source);
        requireUsableForEncryption(destination, trace.operation());
        requireSymmetricAlgorithm(sourceAlgorithm, "SourceEncryptionAlgorithm", source);
        requireSymmetricAlgorithm(destinationAlgorithm, "DestinationEncryptionAlgorithm", destination);

        byte[] plaintext = blob.decrypt(source, sourceContext);
        return JSON.objectNode()
                .put("CiphertextBlob", base64(CiphertextBlob.encrypt(destination, plaintext, destinationContext, random)))
                .put("SourceKeyId", source.arn())
                .put("KeyId", destination.arn())
                .put("SourceEncryptionAlgorithm", SYMMETRIC_DEFAULT)
                .put("DestinationEncryptionAlgorithm", SYMMETRIC_DEFAULT);
    }

    private ObjectNode describeKey(ObjectNode request, CallTrace trace) {
        LocalKey key = keys.resolve(RequestFields.requiredString(request, "KeyId"));
        trace.key(key);
        denials.check(trace.operation(), key.arn());

        ObjectNode response = JSON.objectNode();
        response.set("KeyMetadata", keyMetadata(key));
        return response;
    }

    private ObjectNode createKey(ObjectNode request, CallTrace trace) {
        String description = RequestFields.optionalString(request, "Description");
        KeySpec keySpec = KeySpec.parse(keySpecOf(request));
        String keyUsage = RequestFields.optionalString(request, "KeyUsage");
        if (keyUsage == null) {
            keyUsage = KeySpec.KeyUsage.ENCRYPT_DECRYPT;
        }
        if (!keySpec.allows(keyUsage)) {
            throw KmsServiceException.validation("KeyUsage " + keyUsage + " is not compatible with KeySpec "
                    + keySpec);
        }
        String origin = RequestFields.optionalString(request, "Origin");
        if (origin != null && !origin.equals("AWS_KMS")) {
            throw KmsServiceException.unsupportedOperation("Origin " + origin
                    + " is not supported by this local KMS server; only AWS_KMS is");
        }
        if (RequestFields.optionalBoolean(request, "MultiRegion")) {
            throw KmsServiceException.unsupportedOperation(
                    "Multi-Region keys are not supported by this local KMS server");
        }

        denials.check(trace.operation(), null);
        LocalKey key = keys.createKey(description == null ? "" : description, keySpec, keyUsage);
        trace.key(key);

        ObjectNode response = JSON.objectNode();
        response.set("KeyMetadata", keyMetadata(key));
        return response;
    }

    /** Returns the KeySpec of a CreateKey request, which may use the deprecated CustomerMasterKeySpec. */
    private static String keySpecOf(ObjectNode request) {
        String keySpec = RequestFields.optionalString(request, "KeySpec");
        String legacyKeySpec = RequestFields.optionalString(request, "CustomerMasterKeySpec");
        if (keySpec != null && legacyKeySpec != null) {
            throw KmsServiceException.validation("Give either KeySpec or CustomerMasterKeySpec, not both");
        }
        if (keySpec != null) {
            return keySpec;
        }
        return legacyKeySpec != null ? legacyKeySpec : SYMMETRIC_DEFAULT;
    }

    private ObjectNode createAlias(ObjectNode request, CallTrace trace) {
        String aliasName = RequestFields.requiredString(request, "AliasName");
        KeyRegistry.validateAliasName(aliasName);
        LocalKey target = keys.resolveAliasTarget(RequestFields.requiredString(request, "TargetKeyId"));
        trace.key(target);
        denials.check(trace.operation(), target.arn());

        keys.createAlias(aliasName, target);
        return JSON.objectNode();
    }

    private ObjectNode listAliases(ObjectNode request, CallTrace trace) {
        String keyIdFilter = RequestFields.optionalString(request, "KeyId");
        LocalKey filterKey = null;
        if (keyIdFilter != null) {
            filterKey = keys.resolve(keyIdFilter);
            trace.key(filterKey);
        }
        denials.check(trace.operation(), null);

        ArrayNode aliases = JSON.arrayNode();
        for (KeyRegistry.KmsAlias alias : keys.aliases()) {
            if (filterKey == null || filterKey.keyId().equals(alias.targetKeyId())) {
                aliases.addObject()
                        .put("AliasName", alias.aliasName())
                        .put("AliasArn", alias.aliasArn())
                        .put("TargetKeyId", alias.targetKeyId());
            }
        }
        ObjectNode response = JSON.objectNode();
        response.set("Aliases", aliases);
        response.put("Truncated", false);
        return response;
    }

    private ObjectNode setEnabled(ObjectNode request, CallTrace trace, boolean enabled) {
        LocalKey key = keys.resolve(RequestFields.requiredString(request, "KeyId"));
        trace.key(key);
        denials.check(trace.operation(), key.arn());

        key.setEnabled(enabled);
        return JSON.objectNode();
    }

    /** Returns the key that encrypted the blob. A blob that names an unknown key is invalid ciphertext. */
    private LocalKey keyOfBlob(CiphertextBlob blob) {
        LocalKey key = keys.findByKeyId(blob.keyId());
        if (key == null) {
            throw KmsServiceException.invalidCiphertext("The ciphertext is invalid: it names key "
                    + keys.keyArn(blob.keyId()) + ", which does not exist on this local KMS server");
        }
        return key;
    }

    /** Raises IncorrectKeyException if the request names a key and it is not the one that encrypted the blob. */
    private void requireExpectedKey(String keyIdentifier, String field, LocalKey actual) {
        if (keyIdentifier == null) {
            return;
        }
        LocalKey expected = keys.resolve(keyIdentifier);
        if (!expected.keyId().equals(actual.keyId())) {
            throw KmsServiceException.incorrectKey("The ciphertext was encrypted under key " + actual.arn()
                    + ", not under the " + field + " " + expected.arn());
        }
    }

    private static void requireEnabled(LocalKey key) {
        if (!key.isEnabled()) {
            throw KmsServiceException.disabled(key.arn() + " is disabled");
        }
    }

    private static void requireUsableForEncryption(LocalKey key, String operation) {
        requireEnabled(key);
        if (!key.isSymmetricEncryptionKey()) {
            throw KmsServiceException.invalidKeyUsage("Key " + key.arn() + " has KeySpec " + key.keySpec()
                    + " and KeyUsage " + key.keyUsage() + "; " + operation
                    + " needs a SYMMETRIC_DEFAULT key with KeyUsage ENCRYPT_DECRYPT");
        }
    }

    private static void requireSymmetricAlgorithm(String algorithm, String field, LocalKey key) {
        if (algorithm != null && !algorithm.equals(SYMMETRIC_DEFAULT)) {
            throw KmsServiceException.invalidKeyUsage(field + " " + algorithm + " is not supported by key "
                    + key.arn() + "; use SYMMETRIC_DEFAULT");
        }
    }

    private ObjectNode keyMetadata(LocalKey key) {
        boolean enabled = key.isEnabled();
        ObjectNode metadata = JSON.objectNode()
                .put("AWSAccountId", keys.accountId())
                .put("KeyId", key.keyId())
                .put("Arn", key.arn())
                .put("CreationDate", key.creationDate().getEpochSecond())
                .put("Enabled", enabled)
                .put("Description", key.description())
                .put("KeyUsage", key.keyUsage())
                .put("KeyState", enabled ? "Enabled" : "Disabled")
                .put("Origin", "AWS_KMS")
                .put("KeyManager", "CUSTOMER")
                .put("KeySpec", key.keySpec().name())
                .put("CustomerMasterKeySpec", key.keySpec().name())
                .put("MultiRegion", false);

        KeySpec.Algorithms algorithms = key.keySpec().algorithms(key.keyUsage());
        ArrayNode names = metadata.putArray(algorithms.metadataField());
        algorithms.names().forEach(names::add);
        return metadata;
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
