package io.github.dssesink.kmslocal;

import static io.github.dssesink.kmslocal.KmsTestSupport.assertKmsErrorCode;
import static io.github.dssesink.kmslocal.KmsTestSupport.assertSdkError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.EncryptionAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.ListAliasesResponse;
import software.amazon.awssdk.services.kms.model.MacAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.OriginType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.UnsupportedOperationException;

/** CreateKey, DescribeKey, aliases and key identifier forms through the AWS SDK. */
class LocalKmsServerKeysTest {

    private static final String ARN_PREFIX = "arn:aws:kms:us-east-1:111122223333:";

    private static LocalKmsServer server;
    private static KmsClient kms;

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

    @Test
    @SuppressWarnings("deprecation") // CustomerMasterKeySpec is deprecated but still returned by AWS KMS.
    void createKeyReturnsSymmetricMetadata() {
        Instant before = Instant.now().minusSeconds(1);
        KeyMetadata metadata = kms.createKey(request -> request.description("orders key")).keyMetadata();
        Instant after = Instant.now().plusSeconds(1);

        assertEquals(metadata.keyId(), UUID.fromString(metadata.keyId()).toString());
        assertEquals(ARN_PREFIX + "key/" + metadata.keyId(), metadata.arn());
        assertEquals("111122223333", metadata.awsAccountId());
        assertEquals("orders key", metadata.description());
        assertEquals(KeyUsageType.ENCRYPT_DECRYPT, metadata.keyUsage());
        assertEquals(KeySpec.SYMMETRIC_DEFAULT, metadata.keySpec());
        assertEquals("SYMMETRIC_DEFAULT", metadata.customerMasterKeySpecAsString());
        assertEquals(KeyState.ENABLED, metadata.keyState());
        assertTrue(metadata.enabled());
        assertEquals(OriginType.AWS_KMS, metadata.origin());
        assertEquals(KeyManagerType.CUSTOMER, metadata.keyManager());
        assertFalse(metadata.multiRegion());
        assertEquals(List.of(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT), metadata.encryptionAlgorithms());
        assertTrue(metadata.creationDate().isAfter(before), metadata.creationDate().toString());
        assertTrue(metadata.creationDate().isBefore(after), metadata.creationDate().toString());
    }

    @Test
    void describeKeyMatchesJavaApi() {
        LocalKeyMetadata created = server.createKey("java api key");

        KeyMetadata described = kms.describeKey(request -> request.keyId(created.arn())).keyMetadata();

        assertEquals(created.keyId(), described.keyId());
        assertEquals(created.arn(), described.arn());
        assertEquals("java api key", described.description());
        assertEquals(created.creationDate(), described.creationDate());
        assertEquals(created, server.describeKey(created.arn()));
    }

    @Test
    void describeRsaKeyShowsUsageAndSpec() {
        KeyMetadata rsaEncrypt = kms.createKey(request -> request
                .keySpec(KeySpec.RSA_2048).keyUsage(KeyUsageType.ENCRYPT_DECRYPT)).keyMetadata();
        KeyMetadata described = kms.describeKey(request -> request.keyId(rsaEncrypt.keyId())).keyMetadata();
        assertEquals(KeySpec.RSA_2048, described.keySpec());
        assertEquals(KeyUsageType.ENCRYPT_DECRYPT, described.keyUsage());
        assertEquals(List.of(EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1, EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256),
                described.encryptionAlgorithms());
        assertTrue(described.signingAlgorithms().isEmpty());

        KeyMetadata rsaSign = kms.createKey(request -> request
                .keySpec(KeySpec.RSA_3072).keyUsage(KeyUsageType.SIGN_VERIFY)).keyMetadata();
        assertEquals(KeySpec.RSA_3072, rsaSign.keySpec());
        assertEquals(KeyUsageType.SIGN_VERIFY, rsaSign.keyUsage());
        assertTrue(rsaSign.signingAlgorithms().contains(SigningAlgorithmSpec.RSASSA_PSS_SHA_256));
        assertTrue(rsaSign.encryptionAlgorithms().isEmpty());

        KeyMetadata hmac = kms.createKey(request -> request
                .keySpec(KeySpec.HMAC_256).keyUsage(KeyUsageType.GENERATE_VERIFY_MAC)).keyMetadata();
        assertEquals(KeySpec.HMAC_256, hmac.keySpec());
        assertEquals(KeyUsageType.GENERATE_VERIFY_MAC, hmac.keyUsage());
        assertEquals(List.of(MacAlgorithmSpec.HMAC_SHA_256), hmac.macAlgorithms());
    }

    @Test
    @SuppressWarnings("deprecation") // Older SDKs and callers still send CustomerMasterKeySpec.
    void createKeyAcceptsLegacyKeySpecField() {
        KeyMetadata metadata = kms.createKey(request -> request
                .customerMasterKeySpec("ECC_NIST_P256").keyUsage(KeyUsageType.SIGN_VERIFY)).keyMetadata();

        assertEquals(KeySpec.ECC_NIST_P256, metadata.keySpec());
        assertEquals(List.of(SigningAlgorithmSpec.ECDSA_SHA_256), metadata.signingAlgorithms());
    }

    @Test
    void createKeyRejectsInvalidSpecOrUsage() {
        assertKmsErrorCode("ValidationException", () -> kms.createKey(request -> request.keySpec(KeySpec.HMAC_256)));
        assertKmsErrorCode("ValidationException", () -> kms.createKey(request -> request
                .keySpec(KeySpec.SYMMETRIC_DEFAULT).keyUsage(KeyUsageType.SIGN_VERIFY)));
        assertKmsErrorCode("ValidationException", () -> kms.createKey(request -> request.keySpec("AES_999")));
        assertSdkError(UnsupportedOperationException.class, () -> kms.createKey(request -> request
                .origin(OriginType.EXTERNAL)));
        assertSdkError(UnsupportedOperationException.class, () -> kms.createKey(request -> request
                .multiRegion(true)));

        assertThrows(IllegalArgumentException.class, () -> server.createKey("bad", "HMAC_256", "ENCRYPT_DECRYPT"));
        assertThrows(IllegalArgumentException.class, () -> server.createKey("bad", "AES_999", "ENCRYPT_DECRYPT"));
    }

    @Test
    void keyIdentifierFormsResolveToSameKey() {
        LocalKeyMetadata key = server.createKey("identifier forms");
        kms.createAlias(request -> request.aliasName("alias/forms-" + key.keyId()).targetKeyId(key.keyId()));

        List<String> identifiers = List.of(key.keyId(), key.arn(), "alias/forms-" + key.keyId(),
                ARN_PREFIX + "alias/forms-" + key.keyId());
        for (String identifier : identifiers) {
            assertEquals(key.arn(), kms.generateDataKey(request -> request
                    .keyId(identifier).keySpec(DataKeySpec.AES_256)).keyId(), identifier);
            assertEquals(key.keyId(), kms.describeKey(request -> request.keyId(identifier)).keyMetadata().keyId(),
                    identifier);
            assertEquals(key.arn(), server.describeKey(identifier).arn(), identifier);
        }
    }

    @Test
    void unknownIdentifiersRaiseNotFound() {
        LocalKeyMetadata key = server.createKey("known key");
        List<String> unknown = List.of(
                UUID.randomUUID().toString(),
                ARN_PREFIX + "key/" + UUID.randomUUID(),
                "alias/no-such-alias",
                ARN_PREFIX + "alias/no-such-alias",
                "arn:aws:kms:eu-west-1:111122223333:key/" + key.keyId(),
                "arn:aws:kms:us-east-1:444455556666:key/" + key.keyId(),
                "arn:aws:s3:::bucket/key",
                "arn:aws:kms:us-east-1:111122223333:grant/" + key.keyId());
        for (String identifier : unknown) {
            NotFoundException error = assertSdkError(NotFoundException.class, () -> kms.describeKey(
                    request -> request.keyId(identifier)));
            assertFalse(error.awsErrorDetails().errorMessage().isEmpty(), identifier);
        }
        assertKmsErrorCode("ValidationException", () -> kms.describeKey(request -> request.keyId("")));
        assertKmsErrorCode("ValidationException", () -> kms.describeKey(request -> { }));
        assertThrows(IllegalArgumentException.class, () -> server.describeKey("alias/no-such-alias"));
    }

    @Test
    void listAliasesReturnsEntries() {
        LocalKeyMetadata first = server.createKey("first");
        LocalKeyMetadata second = server.createKey("second");
        String prefix = "alias/list-" + first.keyId().substring(0, 8);
        kms.createAlias(request -> request.aliasName(prefix + "-a").targetKeyId(first.arn()));
        kms.createAlias(request -> request.aliasName(prefix + "-b").targetKeyId(first.keyId()));
        String secondAliasArn = server.createAlias(prefix.substring("alias/".length()) + "-c", second.keyId());

        List<AliasListEntry> all = kms.listAliases().aliases().stream()
                .filter(alias -> alias.aliasName().startsWith(prefix))
                .collect(Collectors.toList());
        assertEquals(List.of(prefix + "-a", prefix + "-b", prefix + "-c"),
                all.stream().map(AliasListEntry::aliasName).collect(Collectors.toList()));
        assertEquals(ARN_PREFIX + prefix + "-a", all.get(0).aliasArn());
        assertEquals(first.keyId(), all.get(0).targetKeyId());
        assertEquals(secondAliasArn, all.get(2).aliasArn());
        assertEquals(second.keyId(), all.get(2).targetKeyId());

        ListAliasesResponse ofFirst = kms.listAliases(request -> request.keyId(first.arn()));
        assertFalse(ofFirst.truncated());
        assertEquals(List.of(prefix + "-a", prefix + "-b"),
                ofFirst.aliases().stream().map(AliasListEntry::aliasName).collect(Collectors.toList()));
    }

    @Test
    void createAliasRejectsInvalidRequests() {
        LocalKeyMetadata key = server.createKey("alias errors");
        String aliasName = "alias/errors-" + key.keyId();
        kms.createAlias(request -> request.aliasName(aliasName).targetKeyId(key.keyId()));

        AlreadyExistsException duplicate = assertSdkError(AlreadyExistsException.class, () -> kms.createAlias(
                request -> request.aliasName(aliasName).targetKeyId(key.keyId())));
        assertTrue(duplicate.awsErrorDetails().errorMessage().contains(aliasName));
        assertKmsErrorCode("ValidationException", () -> kms.createAlias(request -> request
                .aliasName("errors-no-prefix").targetKeyId(key.keyId())));
        assertKmsErrorCode("ValidationException", () -> kms.createAlias(request -> request
                .aliasName("alias/aws/reserved").targetKeyId(key.keyId())));
        assertKmsErrorCode("ValidationException", () -> kms.createAlias(request -> request
                .aliasName("alias/has space").targetKeyId(key.keyId())));
        assertKmsErrorCode("ValidationException", () -> kms.createAlias(request -> request
                .aliasName("alias/to-alias").targetKeyId(aliasName)));
        assertKmsErrorCode("ValidationException", () -> kms.createAlias(request -> request
                .aliasName("alias/no-target")));
        assertSdkError(NotFoundException.class, () -> kms.createAlias(request -> request
                .aliasName("alias/unknown-target").targetKeyId(UUID.randomUUID().toString())));

        assertThrows(IllegalArgumentException.class, () -> server.createAlias(aliasName, key.keyId()));
    }

    @Test
    void customRegionAndAccountAppearInArns() {
        try (LocalKmsServer euServer = LocalKmsServer.builder().region("eu-west-1").accountId("444455556666").start();
             KmsClient euKms = KmsTestSupport.kmsClient(euServer, Region.EU_WEST_1)) {
            LocalKeyMetadata key = euServer.createKey("eu key");
            String aliasArn = euServer.createAlias("eu", key.keyId());

            assertEquals("arn:aws:kms:eu-west-1:444455556666:key/" + key.keyId(), key.arn());
            assertEquals("arn:aws:kms:eu-west-1:444455556666:alias/eu", aliasArn);
            assertEquals(key.arn(), euKms.generateDataKey(request -> request
                    .keyId(aliasArn).keySpec(DataKeySpec.AES_256)).keyId());
            assertEquals("444455556666", euKms.describeKey(request -> request.keyId("alias/eu"))
                    .keyMetadata().awsAccountId());
            assertSdkError(NotFoundException.class, () -> euKms.describeKey(request -> request
                    .keyId("arn:aws:kms:us-east-1:444455556666:key/" + key.keyId())));
        }
    }

    @Test
    void builderRejectsInvalidOptions() {
        assertThrows(IllegalArgumentException.class, () -> LocalKmsServer.builder().region("US East"));
        assertThrows(IllegalArgumentException.class, () -> LocalKmsServer.builder().accountId("12345"));
        assertThrows(IllegalArgumentException.class, () -> LocalKmsServer.builder().port(65_536));
    }
}
