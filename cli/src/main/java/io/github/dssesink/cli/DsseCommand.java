package io.github.dssesink.cli;

import java.io.OutputStream;
import java.io.PrintWriter;

import io.github.dssesink.crypto.EnvelopeEncryptor;
import io.github.dssesink.reader.ObjectReadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * The {@code dsse} tool: inspect, decrypt, verify and re-wrap objects that the DSSE Sink connector
 * wrote, and list the KMS keys that protect them. Exit codes: 0 success, 1 an object failed, 2
 * invalid usage.
 */
@Command(name = "dsse", mixinStandardHelpOptions = true, versionProvider = DsseCommand.Version.class,
        description = "Reads objects that the DSSE Sink connector wrote to S3 (two layers of client-side AES-256-GCM under KMS"
                + " data keys, sent with DSSE-KMS).",
        subcommands = {InspectCommand.class, DecryptCommand.class, VerifyCommand.class, RewrapCommand.class, KeysCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:an object failed (or a check failed)", "2:invalid usage"})
public final class DsseCommand implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(DsseCommand.class);

    private final AwsCredentialsProvider credentialsOverride;
    private OutputStream binaryOut = System.out;
    private AwsRegionProvider regionProvider = new DefaultAwsRegionProviderChain();

    @Spec
    CommandSpec spec;

    /** Uses the AWS SDK default credentials chain (or --profile). */
    public DsseCommand() {
        this(null);
    }

    /** Uses these credentials for S3 and KMS instead of the default chain; for tests and embedding. */
    public DsseCommand(AwsCredentialsProvider credentialsOverride) {
        this.credentialsOverride = credentialsOverride;
    }

    public static void main(String[] args) {
        System.exit(newCommandLine(new DsseCommand()).execute(args));
    }

    /**
     * Builds the command line with the error handling of the tool: one line per failure, no stack
     * trace unless verbose, and exit code 2 for invalid usage.
     */
    public static CommandLine newCommandLine(DsseCommand command) {
        CommandLine commandLine = new CommandLine(command);
        commandLine.setExecutionExceptionHandler(DsseCommand::handleFailure);
        commandLine.setParameterExceptionHandler(DsseCommand::handleUsageError);
        return commandLine;
    }

    /** Sends decrypted bytes to this stream instead of standard output; for tests and embedding. */
    public DsseCommand withBinaryOutput(OutputStream out) {
        this.binaryOut = out;
        return this;
    }

    /** Looks up the region with this provider when --region is not given; for tests and embedding. */
    public DsseCommand withRegionProvider(AwsRegionProvider provider) {
        this.regionProvider = provider;
        return this;
    }

    OutputStream binaryOut() {
        return binaryOut;
    }

    AwsCredentialsProvider credentialsOverride() {
        return credentialsOverride;
    }

    /**
     * Returns the region from the AWS SDK region chain (AWS_REGION, the aws.region system property,
     * the profile, then EC2 instance metadata), or null when it finds none.
     */
    String defaultRegion() {
        try {
            return regionProvider.getRegion().id();
        } catch (SdkClientException e) {
            // The SDK message lists the chain's provider objects but not the fix, so the caller prints the fix instead.
            log.debug("No region from the AWS SDK region chain: {}", e.getMessage());
            return null;
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: use inspect, decrypt, verify, rewrap or keys");
    }

    /** Prints an invalid-usage error as one line and returns exit code 2. */
    private static int handleUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println("dsse: " + e.getMessage());
        err.flush();
        return commandLine.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static int handleFailure(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        boolean verbose = parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--verbose");
        if (e instanceof ToolException || e instanceof ObjectReadException) {
            err.println("dsse: " + e.getMessage());
        } else {
            err.println("dsse: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return ObjectCommand.EXIT_FAILED;
    }

    /** Reports the version from the jar manifest and whether Bouncy Castle's native AES-GCM loaded. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = DsseCommand.class.getPackage().getImplementationVersion();
            return new String[] {
                "dsse " + (version == null ? "(development build)" : version),
                "Layer 2 AES-GCM (Bouncy Castle): " + (EnvelopeEncryptor.isLayer2Native() ? "native" : "pure Java, native library not loaded"),
            };
        }
    }
}
