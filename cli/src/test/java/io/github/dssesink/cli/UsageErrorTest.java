package io.github.dssesink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import software.amazon.awssdk.core.exception.SdkClientException;

class UsageErrorTest extends CliTestSupport {
    /** A command line, and the one line that dsse must print on standard error for it. */
    record UsageCase(List<String> args, String expectedError) {
        @Override
        public String toString() {
            return String.join(" ", args);
        }
    }

    static List<UsageCase> usageCases() {
        return List.of(
                new UsageCase(List.of("decrypt", "--range", "abc", "s3://bucket/key"),
                        "dsse: Invalid --range 'abc': expected START-END or START- in plaintext byte offsets"),
                new UsageCase(List.of("decrypt", "--range", "500-100", "s3://bucket/key"),
                        "dsse: Invalid --range '500-100': START must be 0 or more and END must not be below START"),
                new UsageCase(List.of("decrypt", "--range", "-5", "s3://bucket/key"),
                        "dsse: Invalid --range '-5': expected START-END or START- in plaintext byte offsets"),
                new UsageCase(List.of("decrypt", "bucket/key"),
                        "dsse: Invalid S3 URI 'bucket/key': expected s3://bucket/key"),
                new UsageCase(List.of("inspect", "s3://"),
                        "dsse: Invalid S3 URI 's3://': the bucket name is missing"),
                new UsageCase(List.of("verify", "https://bucket/prefix"),
                        "dsse: Invalid S3 URI 'https://bucket/prefix': expected s3://bucket/key"),
                new UsageCase(List.of("rewrap", "--dry-run", "s3://bucket/prefix"),
                        "dsse: Missing target key: set --layer1-key, --layer2-key or both"),
                new UsageCase(List.of("keys", "--concurrency", "0", "s3://bucket/prefix"),
                        "dsse: Invalid --concurrency 0: it must be 1 or more"),
                new UsageCase(List.of("keys", "--kms-endpoint-url", "localhost", "s3://bucket/prefix"),
                        "dsse: Invalid value for option '--kms-endpoint-url': 'localhost' is not a URL such as http://127.0.0.1:9090"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageCases")
    void usageErrorExitsTwoWithOneLine(UsageCase usage) {
        CliResult result = run(usage.args().get(0), usage.args().subList(1, usage.args().size()).toArray(new String[0]));

        assertEquals(2, result.exitCode(), result.err());
        assertEquals(usage.expectedError() + "\n", result.err());
        assertEquals("", result.out());
    }

    @Test
    void missingSubcommandExitsTwo() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = DsseCommand.newCommandLine(new DsseCommand(TestServers.CREDENTIALS));
        commandLine.setErr(new PrintWriter(err, true));

        int exitCode = commandLine.execute();

        assertEquals(2, exitCode);
        assertEquals("dsse: Missing subcommand: use inspect, decrypt, verify, rewrap or keys\n", err.toString());
    }

    @Test
    void missingRegionNamesTheFix() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // Stands in for the AWS SDK region chain on a machine without AWS_REGION or a profile region,
        // so the test neither depends on the environment nor reaches the EC2 instance metadata service.
        DsseCommand command = new DsseCommand(TestServers.CREDENTIALS).withRegionProvider(() -> {
            throw SdkClientException.create("Unable to load region from any of the providers in the chain"
                    + " software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain@1b2c3d");
        });
        CommandLine commandLine = DsseCommand.newCommandLine(command);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        int exitCode = commandLine.execute("keys", "--endpoint-url", servers().s3Endpoint().toString(), "--path-style",
                "--kms-endpoint-url", servers().kms().endpoint().toString(), "s3://bucket/prefix");

        assertEquals(2, exitCode);
        assertEquals("dsse: Missing region: set --region or AWS_REGION\n", err.toString());
        assertEquals("", out.toString());
    }
}
