package io.github.dssesink.kmslocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;

/** Builds SDK clients that reach only the local server, and checks SDK errors. */
final class KmsTestSupport {

    private KmsTestSupport() {
    }

    /**
     * Returns a KmsClient with static dummy credentials, an explicit region and the server as
     * endpoint, so that it never consults the default provider chains or instance metadata.
     * Retries are off so that each SDK call is exactly one recorded server call.
     */
    static KmsClient kmsClient(LocalKmsServer server, Region region) {
        return kmsClient(server.endpoint(), region);
    }

    static KmsClient kmsClient(URI endpoint, Region region) {
        return KmsClient.builder()
                .endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIALOCALKMSTEST", "local-kms-test-secret")))
                .overrideConfiguration(config -> config.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    static KmsClient kmsClient(LocalKmsServer server) {
        return kmsClient(server, Region.US_EAST_1);
    }

    /**
     * Asserts that the call fails with exactly the given SDK exception class (not a subclass or
     * the base KmsException) and HTTP status 400, and returns the exception.
     */
    static <T extends KmsException> T assertSdkError(Class<T> expectedClass, Executable call) {
        T error = assertThrows(expectedClass, call);
        assertEquals(expectedClass, error.getClass());
        assertEquals(400, error.statusCode());
        return error;
    }

    /**
     * Asserts that the call fails with an AWS KMS error code for which the SDK has no class of its
     * own, such as ValidationException or AccessDeniedException, so it raises the base KmsException.
     */
    static KmsException assertKmsErrorCode(String expectedErrorCode, Executable call) {
        KmsException error = assertThrows(KmsException.class, call);
        assertEquals(KmsException.class, error.getClass());
        assertEquals(expectedErrorCode, error.awsErrorDetails().errorCode());
        assertEquals(400, error.statusCode());
        return error;
    }

    static SdkBytes utf8(String text) {
        return SdkBytes.fromString(text, StandardCharsets.UTF_8);
    }
}
