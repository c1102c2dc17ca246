package io.github.dssesink.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;

import io.github.dssesink.reader.DsseReader;
import io.github.dssesink.reader.ObjectInfo;
import io.github.dssesink.reader.ObjectReadException;
import io.github.dssesink.reader.S3Location;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Streams the plaintext of an object, whole or a byte range, to standard output or a file. */
@Command(name = "decrypt", mixinStandardHelpOptions = true,
        description = "Decrypt an object and write its plaintext to standard output or a file. Only authenticated frames are"
                + " written; with a range, only the frames that hold it are read from S3.")
final class DecryptCommand extends ObjectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "s3://BUCKET/KEY", description = "The object to decrypt.")
    String object;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the plaintext to FILE (written to a temporary file and renamed when complete, so a failed"
                    + " decryption leaves no partial file). Default: standard output.")
    Path output;

    @Option(names = "--range", paramLabel = "START-END",
            description = "Plaintext byte range to decrypt: START inclusive, END exclusive, both zero-based byte offsets."
                    + " 'START-' runs to the end of the object.")
    String range;

    /** The parsed --range as {start, end}, with end -1 for "to the end"; null without --range. */
    private long[] bounds;

    @Override
    public Integer call() throws IOException {
        S3Location location = location(object);
        try {
            bounds = range == null ? null : parseRange(range);
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
        try (Clients clients = clients()) {
            DsseReader reader = clients.readerBuilder().build();
            if (output == null) {
                OutputStream out = parent.binaryOut();
                copy(reader, location, out);
                out.flush();
            } else {
                writeFile(reader, location);
            }
        }
        return EXIT_OK;
    }

    private void writeFile(DsseReader reader, S3Location location) throws IOException {
        Path absolute = output.toAbsolutePath();
        Path temporary = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".part");
        try {
            try (OutputStream out = Files.newOutputStream(temporary)) {
                copy(reader, location, out);
            }
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private void copy(DsseReader reader, S3Location location, OutputStream out) {
        try (InputStream plaintext = open(reader, location)) {
            plaintext.transferTo(out);
        } catch (IOException | RuntimeException e) {
            throw ObjectReadException.of(location, e);
        }
    }

    private InputStream open(DsseReader reader, S3Location location) {
        if (bounds == null) {
            return reader.open(location);
        }
        long end = bounds[1] >= 0 ? bounds[1] : plaintextLength(reader, location);
        return reader.openRange(location, bounds[0], end);
    }

    private static long plaintextLength(DsseReader reader, S3Location location) {
        ObjectInfo info = reader.inspect(location);
        if (!info.clientSideEncrypted()) {
            throw new ObjectReadException(location, ObjectReadException.Kind.INVALID_OBJECT,
                    "no client-side encryption, so there is nothing to decrypt; read the object with an S3 client", null);
        }
        return info.envelope().plaintextLength();
    }

    /**
     * Parses START-END or START- into {start, end}, with end -1 for "to the end".
     *
     * @throws IllegalArgumentException if the text is malformed, START is negative or END is below START
     */
    static long[] parseRange(String text) {
        int dash = text.indexOf('-');
        try {
            if (dash <= 0) {
                throw new NumberFormatException();
            }
            long start = Long.parseLong(text.substring(0, dash));
            String endText = text.substring(dash + 1);
            long end = endText.isEmpty() ? -1 : Long.parseLong(endText);
            if (start < 0 || (end >= 0 && end < start)) {
                throw new IllegalArgumentException("Invalid --range '" + text + "': START must be 0 or more and END must not be below START");
            }
            return new long[] {start, end};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid --range '" + text + "': expected START-END or START- in plaintext byte offsets", e);
        }
    }
}
