package io.github.dssesink.cli;

import java.net.URI;
import java.net.URISyntaxException;

import io.github.dssesink.crypto.AwsKmsKeyProvider;
import io.github.dssesink.crypto.EnvelopeException;
import io.github.dssesink.crypto.LocalKeyring;
import io.github.dssesink.reader.DsseReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The S3 and KMS clients and the reader that one command run uses, built from the common options.
 * Without options it leaves credentials and region to the AWS SDK default chains.
 */
final class Clients implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Clients.class);

    private final S3Client s3;
    private final KmsClient kms;
    private final DsseReader.Builder readerBuilder;

    Clients(CommonOptions options, AwsCredentialsProvider credentialsOverride) {
        AwsCredentialsProvider credentials = credentialsOverride != null ? credentialsOverride
                : options.profile != null ? ProfileCredentialsProvider.create(options.profile) : null;
        this.s3 = buildS3(options, credentials);
        this.kms = buildKms(options, credentials);
        this.readerBuilder = DsseReader.builder().s3Client(s3);
        if (kms != null) {
            readerBuilder.keyProvider(new AwsKmsKeyProvider(kms));
        }
        if (options.keyring != null) {
            try {
                readerBuilder.keyProvider(LocalKeyring.load(options.keyring));
            } catch (EnvelopeException e) {
                close();
                throw new ToolException(e.getMessage(), e);
            }
        }
        if (kms == null && options.keyring == null) {
            close();
            throw new ToolException("No key provider: the KMS client needs a region (--kms-region, --region or AWS_REGION),"
                    + " or pass a local keyring with --keyring");
        }
    }

    S3Client s3() {
        return s3;
    }

    /** Returns a reader builder with the S3 client and key providers set, for further settings. */
    DsseReader.Builder readerBuilder() {
        return readerBuilder;
    }

    private static S3Client buildS3(CommonOptions options, AwsCredentialsProvider credentials) {
        S3ClientBuilder builder = S3Client.builder().forcePathStyle(options.pathStyle);
        if (options.region != null) {
            builder.region(Region.of(options.region));
        }
        if (options.endpointUrl != null) {
            builder.endpointOverride(uri(options.endpointUrl, "--endpoint-url"));
        }
        if (credentials != null) {
            builder.credentialsProvider(credentials);
        }
        try {
            return builder.build();
        } catch (SdkClientException e) {
            throw new ToolException("Cannot create the S3 client: " + e.getMessage() + " Set --region or AWS_REGION.", e);
        }
    }

    /** Returns null when no KMS region can be found, so a run with only a local keyring needs no region. */
    private static KmsClient buildKms(CommonOptions options, AwsCredentialsProvider credentials) {
        KmsClientBuilder builder = KmsClient.builder();
        String region = options.kmsRegion != null ? options.kmsRegion : options.region;
        if (region != null) {
            builder.region(Region.of(region));
        }
        if (options.kmsEndpointUrl != null) {
            builder.endpointOverride(uri(options.kmsEndpointUrl, "--kms-endpoint-url"));
        }
        if (credentials != null) {
            builder.credentialsProvider(credentials);
        }
        try {
            return builder.build();
        } catch (SdkClientException e) {
            log.debug("No KMS client: {}", e.getMessage());
            return null;
        }
    }

    private static URI uri(String value, String option) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new ToolException("Invalid " + option + " '" + value + "': expected a URL such as https://host:port");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ToolException("Invalid " + option + " '" + value + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        s3.close();
        if (kms != null) {
            kms.close();
        }
    }
}
