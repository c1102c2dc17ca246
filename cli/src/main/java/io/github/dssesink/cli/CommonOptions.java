package io.github.dssesink.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** Connection and output options that every subcommand accepts. */
public final class CommonOptions {
    @Option(names = "--endpoint-url", paramLabel = "URL", description = "S3 endpoint to use instead of the AWS one, such as http://127.0.0.1:9090.")
    String endpointUrl;

    @Option(names = "--path-style", description = "Address buckets in the path (http://host/bucket/key) instead of the host name.")
    boolean pathStyle;

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region of the bucket. Default: the AWS SDK region chain (AWS_REGION, profile).")
    String region;

    @Option(names = "--profile", paramLabel = "NAME", description = "AWS credentials profile. Default: the AWS SDK credentials chain.")
    String profile;

    @Option(names = "--kms-endpoint-url", paramLabel = "URL", description = "KMS endpoint to use instead of the AWS one.")
    String kmsEndpointUrl;

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
}
