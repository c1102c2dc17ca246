package io.github.dssesink.cli;

import io.github.dssesink.crypto.AwsKmsKeyProvider;
import io.github.dssesink.crypto.EnvelopeException;
import io.github.dssesink.crypto.LocalKeyring;
import io.github.dssesink.reader.DsseReader;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The S3 and KMS clients and the reader that one command run uses, built from the common options.
 * Without --profile or a credentials override it leaves credentials to the AWS SDK default chain.
 */
final class Clients implements AutoCloseable {
    private final S3Client s3;
    private final KmsClient kms;
    private final DsseReader.Builder readerBuilder;

    /**
     * @param region the S3 region, also the KMS region unless --kms-region is set
     * @param credentialsOverride credentials for S3 and KMS, or null for --profile or the default chain
     */
    Clients(CommonOptions options, String region, AwsCredentialsProvider credentialsOverride) {
        AwsCredentialsProvider credentials = credentialsOverride != null ? credentialsOverride
                : options.profile != null ? ProfileCredentialsProvider.create(options.profile) : null;
        this.s3 = buildS3(options, region, credentials);
        this.kms = buildKms(options, options.kmsRegion != null ? options.kmsRegion : region, credentials);
        this.readerBuilder = DsseReader.builder().s3Client(s3).keyProvider(new AwsKmsKeyProvider(kms));
        if (options.keyring != null) {
            try {
                readerBuilder.keyProvider(LocalKeyring.load(options.keyring));
            } catch (EnvelopeException e) {
                close();
                throw new ToolException(e.getMessage(), e);
            }
        }
    }

    S3Client s3() {
        return s3;
    }

    /** Returns a reader builder with the S3 client and key providers set, for further settings. */
    DsseReader.Builder readerBuilder() {
        return readerBuilder;
    }

    private static S3Client buildS3(CommonOptions options, String region, AwsCredentialsProvider credentials) {
        S3ClientBuilder builder = S3Client.builder().forcePathStyle(options.pathStyle).region(Region.of(region));
        if (options.endpointUrl != null) {
            builder.endpointOverride(options.endpointUrl);
        }
        if (credentials != null) {
            builder.credentialsProvider(credentials);
        }
        return builder.build();
    }

    private static KmsClient buildKms(CommonOptions options, String region, AwsCredentialsProvider credentials) {
        KmsClientBuilder builder = KmsClient.builder().region(Region.of(region));
        if (options.kmsEndpointUrl != null) {
            builder.endpointOverride(options.kmsEndpointUrl);
        }
        if (credentials != null) {
            builder.credentialsProvider(credentials);
        }
        return builder.build();
    }

    @Override
    public void close() {
        s3.close();
        kms.close();
    }
}
