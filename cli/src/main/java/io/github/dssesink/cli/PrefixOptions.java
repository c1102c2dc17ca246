package io.github.dssesink.cli;

import java.util.List;

import io.github.dssesink.reader.S3Location;
import picocli.CommandLine.Option;

/** The option of the commands that scan a prefix, and the check it controls. */
final class PrefixOptions {
    @Option(names = "--allow-empty", description = "Succeed when no object is under the prefix. Default: an empty prefix fails,"
            + " because it usually means a mistyped bucket or prefix.")
    boolean allowEmpty;

    /** Returns the listed objects, or fails with one line when there are none and --allow-empty is not set. */
    List<S3Location> requireObjects(List<S3Location> objects, S3Location prefix) {
        if (objects.isEmpty() && !allowEmpty) {
            throw new ToolException("No objects under " + prefix + ": check the bucket and prefix, or pass --allow-empty");
        }
        return objects;
    }
}
