package io.github.dssesink.kmslocal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line of {@link LocalKmsServer#main}: parses the options, starts the server, creates
 * the requested keys, prints one JSON line with the endpoint and the keys, and stops after a time
 * limit or at the end of standard input.
 */
final class LocalKmsCommand {

    static final int EXIT_OK = 0;
    static final int EXIT_START_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final long DEFAULT_STOP_AFTER_SECONDS = 3600;

    private static final Logger LOG = LoggerFactory.getLogger(LocalKmsCommand.class);

    static final String USAGE = String.join(System.lineSeparator(),
            "Usage: LocalKmsServer [options]",
            "Starts a local server on 127.0.0.1 that speaks the AWS KMS JSON 1.1 protocol, prints one JSON",
            "line with the endpoint and the created keys, and stops by itself.",
            "",
            "  --port N                  TCP port on 127.0.0.1; 0 picks a free port (default 0)",
            "  --region REGION           region in key ARNs (default " + LocalKmsServer.DEFAULT_REGION + ")",
            "  --account ID              12-digit account ID in key ARNs (default "
                    + LocalKmsServer.DEFAULT_ACCOUNT_ID + ")",
            "  --create-key ALIAS        create a symmetric key with alias/ALIAS; repeatable",
            "  --stop-after-seconds N    stop after N seconds (default " + DEFAULT_STOP_AFTER_SECONDS + ")",
            "  --stop-on-stdin-eof       also stop when standard input reaches end of file",
            "  --help                    print this help and exit");

    private LocalKmsCommand() {
    }

    /** Parsed command-line options. */
    record Options(int port, String region, String accountId, List<String> aliases, long stopAfterSeconds,
                   boolean stopOnStdinEof, boolean help) {
    }

    /** An invalid command line, with a message for the user. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /**
     * Runs the command and returns its exit status once the server has stopped.
     *
     * @param stdin read only with {@code --stop-on-stdin-eof}
     * @param stdout receives the JSON line, or the help text
     * @param stderr receives errors about the options
     */
    static int run(String[] args, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        Options options;
        try {
            options = parse(args);
        } catch (UsageException e) {
            stderr.println(e.getMessage());
            stderr.println("Run with --help to list the options.");
            return EXIT_USAGE;
        }
        if (options.help()) {
            stdout.println(USAGE);
            return EXIT_OK;
        }

        LocalKmsServer server;
        try {
            server = LocalKmsServer.builder()
                    .port(options.port())
                    .region(options.region())
                    .accountId(options.accountId())
                    .start();
        } catch (UncheckedIOException e) {
            stderr.println(e.getMessage());
            return EXIT_START_FAILED;
        }

        try (server) {
            stdout.println(startupLine(server, createKeys(server, options.aliases())));
            stdout.flush();
            awaitStop(options, stdin);
        }
        return EXIT_OK;
    }

    static Options parse(String[] args) throws UsageException {
        int port = 0;
        String region = LocalKmsServer.DEFAULT_REGION;
        String accountId = LocalKmsServer.DEFAULT_ACCOUNT_ID;
        List<String> aliases = new ArrayList<>();
        long stopAfterSeconds = DEFAULT_STOP_AFTER_SECONDS;
        boolean stopOnStdinEof = false;

        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--port":
                    port = (int) parseNumber(option, valueOf(args, ++i, option), 0, 65_535);
                    break;
                case "--region":
                    region = valueOf(args, ++i, option);
                    break;
                case "--account":
                    accountId = valueOf(args, ++i, option);
                    break;
                case "--create-key":
                    String aliasName = aliasName(valueOf(args, ++i, option));
                    if (aliases.contains(aliasName)) {
                        throw new UsageException("Option --create-key names " + aliasName + " twice.");
                    }
                    aliases.add(aliasName);
                    break;
                case "--stop-after-seconds":
                    stopAfterSeconds = parseNumber(option, valueOf(args, ++i, option), 1, Long.MAX_VALUE);
                    break;
                case "--stop-on-stdin-eof":
                    stopOnStdinEof = true;
                    break;
                case "--help":
                case "-h":
                    return new Options(port, region, accountId, aliases, stopAfterSeconds, stopOnStdinEof, true);
                default:
                    throw new UsageException("Unknown option '" + option + "'.");
            }
        }

        try {
            // Validates region and account ID with the builder's rules before anything starts.
            LocalKmsServer.builder().region(region).accountId(accountId);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return new Options(port, region, accountId, List.copyOf(aliases), stopAfterSeconds, stopOnStdinEof, false);
    }

    private static String valueOf(String[] args, int index, String option) throws UsageException {
        if (index >= args.length) {
            throw new UsageException("Option " + option + " needs a value.");
        }
        return args[index];
    }

    private static long parseNumber(String option, String value, long min, long max) throws UsageException {
        long number;
        try {
            number = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new UsageException("Option " + option + " needs a whole number, got '" + value + "'.");
        }
        if (number < min || number > max) {
            throw new UsageException("Option " + option + " must be " + min + " to " + max + ", got " + number + ".");
        }
        return number;
    }

    /** Accepts an alias with or without the alias/ prefix and checks it against the AWS KMS rules. */
    private static String aliasName(String alias) throws UsageException {
        String aliasName = alias.startsWith(KeyRegistry.ALIAS_PREFIX) ? alias : KeyRegistry.ALIAS_PREFIX + alias;
        try {
            KeyRegistry.validateAliasName(aliasName);
        } catch (KmsServiceException e) {
            throw new UsageException("Option --create-key: " + e.getMessage() + ".");
        }
        return aliasName;
    }

    private static List<CreatedKey> createKeys(LocalKmsServer server, List<String> aliasNames) {
        List<CreatedKey> created = new ArrayList<>();
        for (String aliasName : aliasNames) {
            LocalKeyMetadata key = server.createKey("Created by --create-key " + aliasName);
            server.createAlias(aliasName, key.keyId());
            created.add(new CreatedKey(aliasName, key.keyId(), key.arn()));
            LOG.info("Created key {} with alias {}", key.arn(), aliasName);
        }
        return created;
    }

    private static String startupLine(LocalKmsServer server, List<CreatedKey> keys) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode line = mapper.createObjectNode()
                .put("endpoint", server.endpoint().toString())
                .put("region", server.region())
                .put("accountId", server.accountId());
        ArrayNode keyArray = line.putArray("keys");
        for (CreatedKey key : keys) {
            keyArray.addObject()
                    .put("alias", key.aliasName())
                    .put("keyId", key.keyId())
                    .put("arn", key.arn());
        }
        try {
            return mapper.writeValueAsString(line);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the startup line as JSON", e);
        }
    }

    /** Blocks until the time limit passes or, with --stop-on-stdin-eof, standard input ends. */
    private static void awaitStop(Options options, InputStream stdin) {
        CountDownLatch stop = new CountDownLatch(1);
        if (options.stopOnStdinEof()) {
            Thread reader = new Thread(() -> {
                drain(stdin);
                LOG.info("Standard input reached end of file; stopping");
                stop.countDown();
            }, "local-kms-stdin-watch");
            reader.setDaemon(true);
            reader.start();
        }

        LOG.info("Serving until {} s have passed{}", options.stopAfterSeconds(),
                options.stopOnStdinEof() ? " or standard input ends" : "");
        try {
            if (!stop.await(options.stopAfterSeconds(), TimeUnit.SECONDS)) {
                LOG.info("Time limit of {} s reached; stopping", options.stopAfterSeconds());
            }
        } catch (InterruptedException e) {
            LOG.info("Interrupted; stopping");
            Thread.currentThread().interrupt();
        }
    }

    private static void drain(InputStream stdin) {
        byte[] buffer = new byte[1024];
        try {
            while (stdin.read(buffer) != -1) {
                // Discards input: only its end matters.
            }
        } catch (IOException e) {
            LOG.warn("Reading standard input failed ({}); treating it as end of file", e.toString());
        }
    }

    private record CreatedKey(String aliasName, String keyId, String arn) {
    }
}
