package io.github.dssesink.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Connection and output options that every subcommand accepts. */
public final class CommonOptions {
    @Option(names = "--endpoint-url", paramLabel = "URL", converter = EndpointConverter.class,
            description = "S3 endpoint to use instead of the AWS one, such as http://127.0.0.1:9090.")
    URI endpointUrl;

    @Option(names = "--path-style", description = "Address buckets in the path (http://host/bucket/key) instead of the host name.")
    boolean pathStyle;

    @Option(names = "--region", paramLabel = "REGION",
            description = "AWS region of the bucket. Default: the AWS SDK region chain (AWS_REGION, profile). Required when the chain finds none.")
    String region;

    @Option(names = "--profile", paramLabel = "NAME", description = "AWS credentials profile. Default: the AWS SDK credentials chain.")
    String profile;

    @Option(names = "--kms-endpoint-url", paramLabel = "URL", converter = EndpointConverter.class,
            description = "KMS endpoint to use instead of the AWS one.")
    URI kmsEndpointUrl;

    @Option(names = "--kms-region", paramLabel = "REGION", description = "AWS region of the KMS keys. Default: the S3 region.")
    String kmsRegion;

    @Option(names = "--keyring", paramLabel = "FILE", description = "Local keyring file (JSON) for objects written with the local key provider.")
    Path keyring;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8",
            description = "Objects processed in parallel by prefix scans. Default: ${DEFAULT-VALUE}.")
    int concurrency;

    @Option(names = "--no-progress", description = "Do not show a progress bar on prefix scans (it shows only on an interactive terminal).")
    boolean noProgress;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces, and debug logs of this tool and of the AWS SDK requests.")
    boolean verbose;

    /** Accepts an absolute URL with a host, so a typo fails as invalid usage before any request. */
    static final class EndpointConverter implements ITypeConverter<URI> {
        @Override
        public URI convert(String value) {
            try {
                URI uri = new URI(value);
                if (uri.getScheme() != null && uri.getHost() != null) {
                    return uri;
                }
            } catch (URISyntaxException e) {
                // Reported below with the expected form.
            }
            throw new TypeConversionException("'" + value + "' is not a URL such as http://127.0.0.1:9090");
        }
    }
}
