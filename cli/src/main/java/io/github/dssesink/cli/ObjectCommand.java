package io.github.dssesink.cli;

import java.io.PrintWriter;

import io.github.dssesink.reader.S3Location;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Base of the subcommands: the common options, the output streams and client creation. */
abstract class ObjectCommand {
    /** Exit code when every object passed or was processed. */
    static final int EXIT_OK = 0;
    /** Exit code when at least one object failed. */
    static final int EXIT_FAILED = 1;

    @Mixin
    CommonOptions common;

    @ParentCommand
    DsseCommand parent;

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Builds the clients; a missing region or an invalid --concurrency is a usage error. */
    Clients clients() {
        if (common.verbose) {
            Configurator.setLevel("io.github.dssesink", Level.DEBUG);
            Configurator.setLevel("software.amazon.awssdk.request", Level.DEBUG);
        }
        if (common.concurrency < 1) {
            throw usageError("Invalid --concurrency " + common.concurrency + ": it must be 1 or more");
        }
        String region = common.region != null ? common.region : parent.defaultRegion();
        if (region == null) {
            throw usageError("Missing region: set --region or AWS_REGION");
        }
        return new Clients(common, region, parent.credentialsOverride());
    }

    /** Parses an s3:// argument; a malformed one is a usage error. */
    S3Location location(String uri) {
        try {
            return S3Location.parse(uri);
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
    }

    /** Returns the exception that makes picocli print {@code message} as one line and exit with code 2. */
    ParameterException usageError(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Prints one object's failure as one line, with the stack trace only in verbose mode. */
    void printFailure(RuntimeException e) {
        err().println("dsse: " + e.getMessage());
        if (common.verbose) {
            e.printStackTrace(err());
        }
    }
}
