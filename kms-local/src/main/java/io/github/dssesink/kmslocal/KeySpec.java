package io.github.dssesink.kmslocal;

import java.util.List;
import java.util.Map;

/**
 * The AWS KMS key specs that {@code CreateKey} accepts, each with the key usages AWS KMS allows
 * for it and the algorithms that {@code DescribeKey} lists for each usage.
 *
 * <p>Only {@link #SYMMETRIC_DEFAULT} keys get key material and can encrypt. The other specs exist
 * so that callers can test how they handle a key that is not a symmetric encryption key.
 */
enum KeySpec {
    SYMMETRIC_DEFAULT(Map.of(KeyUsage.ENCRYPT_DECRYPT, Algorithms.SYMMETRIC_ENCRYPTION)),
    RSA_2048(Map.of(
            KeyUsage.ENCRYPT_DECRYPT, Algorithms.RSA_ENCRYPTION,
            KeyUsage.SIGN_VERIFY, Algorithms.RSA_SIGNING)),
    RSA_3072(Map.of(
            KeyUsage.ENCRYPT_DECRYPT, Algorithms.RSA_ENCRYPTION,
            KeyUsage.SIGN_VERIFY, Algorithms.RSA_SIGNING)),
    RSA_4096(Map.of(
            KeyUsage.ENCRYPT_DECRYPT, Algorithms.RSA_ENCRYPTION,
            KeyUsage.SIGN_VERIFY, Algorithms.RSA_SIGNING)),
    ECC_NIST_P256(Map.of(KeyUsage.SIGN_VERIFY, Algorithms.signing("ECDSA_SHA_256"))),
    ECC_NIST_P384(Map.of(KeyUsage.SIGN_VERIFY, Algorithms.signing("ECDSA_SHA_384"))),
    ECC_NIST_P521(Map.of(KeyUsage.SIGN_VERIFY, Algorithms.signing("ECDSA_SHA_512"))),
    ECC_SECG_P256K1(Map.of(KeyUsage.SIGN_VERIFY, Algorithms.signing("ECDSA_SHA_256"))),
    HMAC_224(Map.of(KeyUsage.GENERATE_VERIFY_MAC, Algorithms.mac("HMAC_SHA_224"))),
    HMAC_256(Map.of(KeyUsage.GENERATE_VERIFY_MAC, Algorithms.mac("HMAC_SHA_256"))),
    HMAC_384(Map.of(KeyUsage.GENERATE_VERIFY_MAC, Algorithms.mac("HMAC_SHA_384"))),
    HMAC_512(Map.of(KeyUsage.GENERATE_VERIFY_MAC, Algorithms.mac("HMAC_SHA_512")));

    private final Map<String, Algorithms> algorithmsByUsage;

    KeySpec(Map<String, Algorithms> algorithmsByUsage) {
        this.algorithmsByUsage = algorithmsByUsage;
    }

    boolean allows(String keyUsage) {
        return algorithmsByUsage.containsKey(keyUsage);
    }

    /** Returns the algorithms of a key of this spec with the given usage, which it must allow. */
    Algorithms algorithms(String keyUsage) {
        return algorithmsByUsage.get(keyUsage);
    }

    /** Parses a KeySpec value of a request, or raises ValidationException. */
    static KeySpec parse(String value) {
        for (KeySpec spec : values()) {
            if (spec.name().equals(value)) {
                return spec;
            }
        }
        throw KmsServiceException.validation("KeySpec '" + value + "' is not supported; use one of "
                + List.of(values()));
    }

    /** The key usage values of the AWS KMS API. */
    static final class KeyUsage {
        static final String ENCRYPT_DECRYPT = "ENCRYPT_DECRYPT";
        static final String SIGN_VERIFY = "SIGN_VERIFY";
        static final String GENERATE_VERIFY_MAC = "GENERATE_VERIFY_MAC";

        private KeyUsage() {
        }
    }

    /**
     * A list of algorithm names and the KeyMetadata field that lists them:
     * EncryptionAlgorithms, SigningAlgorithms or MacAlgorithms.
     */
    record Algorithms(String metadataField, List<String> names) {

        static final Algorithms SYMMETRIC_ENCRYPTION =
                new Algorithms("EncryptionAlgorithms", List.of("SYMMETRIC_DEFAULT"));
        static final Algorithms RSA_ENCRYPTION =
                new Algorithms("EncryptionAlgorithms", List.of("RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"));
        static final Algorithms RSA_SIGNING = new Algorithms("SigningAlgorithms", List.of(
                "RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512",
                "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512"));

        static Algorithms signing(String name) {
            return new Algorithms("SigningAlgorithms", List.of(name));
        }

        static Algorithms mac(String name) {
            return new Algorithms("MacAlgorithms", List.of(name));
        }
    }
}
