package io.github.dssesink.kmslocal;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/**
 * The keys and aliases of one server, and the resolution of the four key identifier forms of AWS
 * KMS: key ID, key ARN, alias name and alias ARN. Thread-safe.
 */
final class KeyRegistry {

    static final String ALIAS_PREFIX = "alias/";
    /** The alias name pattern of the AWS KMS API. The reserved alias/aws/ prefix is rejected separately. */
    private static final Pattern ALIAS_NAME = Pattern.compile("alias/[a-zA-Z0-9/_-]{1,250}");
    private static final String RESERVED_ALIAS_PREFIX = "alias/aws/";

    private final String region;
    private final String accountId;
    private final SecureRandom random;
    private final ConcurrentMap<String, LocalKey> keysById = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, KmsAlias> aliasesByName = new ConcurrentHashMap<>();

    KeyRegistry(String region, String accountId, SecureRandom random) {
        this.region = region;
        this.accountId = accountId;
        this.random = random;
    }

    String region() {
        return region;
    }

    String accountId() {
        return accountId;
    }

    /** Creates an enabled key. The caller must have checked that the spec allows the usage. */
    LocalKey createKey(String description, KeySpec keySpec, String keyUsage) {
        String keyId = UUID.randomUUID().toString();
        Instant creationDate = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        LocalKey key = new LocalKey(keyId, keyArn(keyId), keySpec, keyUsage, description, creationDate, random);
        keysById.put(keyId, key);
        return key;
    }

    /**
     * Creates an alias for a key.
     *
     * @throws KmsServiceException ValidationException for an invalid alias name,
     *     AlreadyExistsException for a name that is taken
     */
    KmsAlias createAlias(String aliasName, LocalKey target) {
        validateAliasName(aliasName);
        KmsAlias alias = new KmsAlias(aliasName, aliasArn(aliasName), target.keyId());
        if (aliasesByName.putIfAbsent(aliasName, alias) != null) {
            throw KmsServiceException.alreadyExists("Alias " + alias.aliasArn() + " already exists");
        }
        return alias;
    }

    /** Raises ValidationException unless the name is a valid alias name of a customer managed key. */
    static void validateAliasName(String aliasName) {
        if (!ALIAS_NAME.matcher(aliasName).matches()) {
            throw KmsServiceException.validation("AliasName '" + aliasName
                    + "' is invalid: it must start with alias/ followed by letters, digits, /, _ or -");
        }
        if (aliasName.startsWith(RESERVED_ALIAS_PREFIX)) {
            throw KmsServiceException.validation("AliasName '" + aliasName
                    + "' is invalid: the alias/aws/ prefix is reserved for AWS managed keys");
        }
    }

    /**
     * Resolves the target of a new alias, which AWS KMS requires to be a key ID or key ARN.
     *
     * @throws KmsServiceException ValidationException for an alias name or alias ARN,
     *     NotFoundException for an unknown key
     */
    LocalKey resolveAliasTarget(String targetKeyId) {
        boolean isAliasArn = targetKeyId.startsWith("arn:") && targetKeyId.contains(":" + ALIAS_PREFIX);
        if (targetKeyId.startsWith(ALIAS_PREFIX) || isAliasArn) {
            throw KmsServiceException.validation("TargetKeyId '" + targetKeyId
                    + "' is an alias; give a key ID or key ARN");
        }
        return resolve(targetKeyId);
    }

    /** Returns all aliases sorted by name. */
    List<KmsAlias> aliases() {
        List<KmsAlias> aliases = new ArrayList<>(aliasesByName.values());
        aliases.sort(Comparator.comparing(KmsAlias::aliasName));
        return aliases;
    }

    /**
     * Resolves a key ID, key ARN, alias name or alias ARN to its key.
     *
     * @throws KmsServiceException ValidationException for an empty identifier, NotFoundException
     *     for anything that names no key of this server, including an ARN of another region or
     *     account
     */
    LocalKey resolve(String keyIdentifier) {
        if (keyIdentifier.isEmpty()) {
            throw KmsServiceException.validation("KeyId must not be empty");
        }
        if (keyIdentifier.startsWith("arn:")) {
            return resolveArn(keyIdentifier);
        }
        if (keyIdentifier.startsWith(ALIAS_PREFIX)) {
            return resolveAlias(keyIdentifier);
        }
        return resolveKeyId(keyIdentifier);
    }

    /** Returns the key with this key ID, or null. */
    LocalKey findByKeyId(String keyId) {
        return keysById.get(keyId);
    }

    String keyArn(String keyId) {
        return arnPrefix() + "key/" + keyId;
    }

    String aliasArn(String aliasName) {
        return arnPrefix() + aliasName;
    }

    private String arnPrefix() {
        return "arn:aws:kms:" + region + ":" + accountId + ":";
    }

    private LocalKey resolveArn(String arn) {
        // arn:partition:service:region:account:resource
        String[] parts = arn.split(":", 6);
        if (parts.length != 6 || !parts[1].equals("aws") || !parts[2].equals("kms")) {
            throw KmsServiceException.notFound("'" + arn + "' is not a KMS key ARN or alias ARN");
        }
        if (!parts[3].equals(region) || !parts[4].equals(accountId)) {
            throw KmsServiceException.notFound("'" + arn + "' does not exist: this server contains keys of region "
                    + region + " and account " + accountId + " only");
        }

        String resource = parts[5];
        if (resource.startsWith("key/")) {
            return resolveKeyId(resource.substring("key/".length()));
        }
        if (resource.startsWith(ALIAS_PREFIX)) {
            return resolveAlias(resource);
        }
        throw KmsServiceException.notFound("'" + arn + "' is not a KMS key ARN or alias ARN");
    }

    private LocalKey resolveKeyId(String keyId) {
        LocalKey key = keysById.get(keyId);
        if (key == null) {
            throw KmsServiceException.notFound("Key '" + keyArn(keyId) + "' does not exist");
        }
        return key;
    }

    private LocalKey resolveAlias(String aliasName) {
        KmsAlias alias = aliasesByName.get(aliasName);
        if (alias == null) {
            throw KmsServiceException.notFound("Alias " + aliasArn(aliasName) + " is not found");
        }
        return resolveKeyId(alias.targetKeyId());
    }

    /** An alias and the key ID it points to. */
    record KmsAlias(String aliasName, String aliasArn, String targetKeyId) {
    }
}
