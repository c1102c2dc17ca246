package io.github.dssesink.cli;

import java.io.OutputStream;
import java.io.PrintWriter;

import io.github.dssesink.crypto.EnvelopeEncryptor;
import io.github.dssesink.reader.ObjectReadException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

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
    private final AwsCredentialsProvider credentialsOverride;
    private OutputStream binaryOut = System.out;

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

    /** Builds the command line with the error handling of the tool: one line per failure, no stack trace unless verbose. */
    public static CommandLine newCommandLine(DsseCommand command) {
        CommandLine commandLine = new CommandLine(command);
        commandLine.setExecutionExceptionHandler(DsseCommand::handleFailure);
        return commandLine;
    }

    /** Sends decrypted bytes to this stream instead of standard output; for tests and embedding. */
    public DsseCommand withBinaryOutput(OutputStream out) {
        this.binaryOut = out;
        return this;
    }

    OutputStream binaryOut() {
        return binaryOut;
    }

    AwsCredentialsProvider credentialsOverride() {
        return credentialsOverride;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "Missing subcommand: use inspect, decrypt, verify, rewrap or keys");
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
