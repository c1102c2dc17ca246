package io.github.dssesink.kmslocal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback HTTP server that speaks the AWS KMS JSON 1.1 protocol, for tests and the local demo.
 *
 * <p>It binds to 127.0.0.1 only, keeps keys in memory, and does not check SigV4 signatures. Point
 * the AWS SDK's {@code KmsClient} at {@link #endpoint()} with static credentials and an explicit
 * region. It serves GenerateDataKey, GenerateDataKeyWithoutPlaintext, Encrypt, Decrypt, ReEncrypt,
 * DescribeKey, CreateKey, CreateAlias, ListAliases, EnableKey and DisableKey; any other operation
 * gets UnsupportedOperationException. Ciphertext blobs have this server's own format
 * ({@link CiphertextBlob}), so they decrypt only on the server instance that made them.
 *
 * <p>The Java methods that change keys ({@link #createKey}, {@link #createAlias},
 * {@link #enableKey}, {@link #disableKey}) act on the key store directly: denials do not apply to
 * them and they are not recorded as calls. All methods are thread-safe.
 *
 * <p>Run {@link #main} for a standalone server; {@code --help} lists its options.
 */
public final class LocalKmsServer implements AutoCloseable {

    public static final String DEFAULT_REGION = "us-east-1";
    public static final String DEFAULT_ACCOUNT_ID = "111122223333";

    private static final Logger LOG = LoggerFactory.getLogger(LocalKmsServer.class);

    /**
     * Without TCP_NODELAY the JDK HttpServer delays each response by about 40-50 ms on loopback
     * (Nagle's algorithm against delayed ACKs). The JDK reads this property once, when the first
     * HttpServer is created in the JVM.
     */
    private static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";
    /** 127.0.0.1; the server never binds to another address. */
    private static final byte[] LOOPBACK_IPV4 = {127, 0, 0, 1};
    private static final int HANDLER_THREADS = 4;
    private static final int MAX_QUEUED_REQUESTS = 256;
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final AtomicInteger SERVER_COUNTER = new AtomicInteger();

    static {
        // NOTE: this has no effect if an HttpServer was created in this JVM before this class loaded.
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true");
        }
    }

    private final HttpServer httpServer;
    private final ThreadPoolExecutor executor;
    private final KeyRegistry keys;
    private final DenyList denials;
    private final CallLog callLog;
    private final Set<String> deniableOperations;
    private final URI endpoint;

    private LocalKmsServer(Builder builder) throws IOException {
        SecureRandom random = new SecureRandom();
        this.keys = new KeyRegistry(builder.region, builder.accountId, random);
        this.denials = new DenyList();
        this.callLog = new CallLog();
        KmsOperations operations = new KmsOperations(keys, denials, random);
        this.deniableOperations = new HashSet<>(operations.names());
        deniableOperations.add(KmsOperations.REENCRYPT_FROM);
        deniableOperations.add(KmsOperations.REENCRYPT_TO);

        ObjectMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByAddress(LOOPBACK_IPV4), builder.port);
        this.httpServer = HttpServer.create(address, 0);
        this.executor = newExecutor(SERVER_COUNTER.incrementAndGet());
        httpServer.setExecutor(executor);
        httpServer.createContext("/", new KmsHttpHandler(operations, callLog, mapper));
        httpServer.start();

        int port = httpServer.getAddress().getPort();
        this.endpoint = URI.create("http://" + address.getAddress().getHostAddress() + ":" + port);
        LOG.info("Local KMS server started at {} for region {} and account {}",
                endpoint, keys.region(), keys.accountId());
    }

    /**
     * Builds a bounded pool of named daemon threads. When the queue is full, the server's
     * dispatcher thread runs the request itself, which slows accepting instead of dropping requests.
     */
    private static ThreadPoolExecutor newExecutor(int serverNumber) {
        AtomicInteger threadCounter = new AtomicInteger();
        ThreadFactory threadFactory = runnable -> {
            Thread thread = new Thread(runnable,
                    "local-kms-" + serverNumber + "-handler-" + threadCounter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return new ThreadPoolExecutor(HANDLER_THREADS, HANDLER_THREADS, 0L, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(MAX_QUEUED_REQUESTS), threadFactory,
                new ThreadPoolExecutor.CallerRunsPolicy());
    }

    /** Starts a server on an ephemeral port of 127.0.0.1 with the default region and account. */
    public static LocalKmsServer start() {
        return builder().start();
    }

    /** Starts a server on the given port of 127.0.0.1 (0 for an ephemeral port). */
    public static LocalKmsServer start(int port) {
        return builder().port(port).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Returns the base URI to pass to the SDK's {@code endpointOverride}, {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return endpoint;
    }

    public String region() {
        return keys.region();
    }

    public String accountId() {
        return keys.accountId();
    }

    /** Creates an enabled symmetric encryption key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT). */
    public LocalKeyMetadata createKey(String description) {
        return createKey(description, KeySpec.SYMMETRIC_DEFAULT.name(), KeySpec.KeyUsage.ENCRYPT_DECRYPT);
    }

    /**
     * Creates an enabled key of any spec that CreateKey accepts, for example RSA_2048 with
     * SIGN_VERIFY. Only SYMMETRIC_DEFAULT keys can encrypt.
     *
     * @throws IllegalArgumentException if the spec is unknown or does not allow the usage
     */
    public LocalKeyMetadata createKey(String description, String keySpec, String keyUsage) {
        KeySpec spec = translateKmsErrors(() -> KeySpec.parse(keySpec));
        if (!spec.allows(keyUsage)) {
            throw new IllegalArgumentException("KeyUsage " + keyUsage + " is not compatible with KeySpec " + spec);
        }
        return keys.createKey(description == null ? "" : description, spec, keyUsage).metadata();
    }

    /**
     * Creates an alias for a key.
     *
     * @param alias the alias name, with or without the {@code alias/} prefix
     * @param keyId the key ID or key ARN of the target key
     * @return the alias ARN
     * @throws IllegalArgumentException if the name is invalid or taken, or the key does not exist
     */
    public String createAlias(String alias, String keyId) {
        String aliasName = alias.startsWith(KeyRegistry.ALIAS_PREFIX) ? alias : KeyRegistry.ALIAS_PREFIX + alias;
        return translateKmsErrors(() -> keys.createAlias(aliasName, keys.resolveAliasTarget(keyId))).aliasArn();
    }

    /**
     * Returns the metadata of a key named by key ID, key ARN, alias name or alias ARN.
     *
     * @throws IllegalArgumentException if no such key exists
     */
    public LocalKeyMetadata describeKey(String keyIdentifier) {
        return translateKmsErrors(() -> keys.resolve(keyIdentifier)).metadata();
    }

    /** Disables a key named by any identifier form, so that it rejects cryptographic operations. */
    public void disableKey(String keyIdentifier) {
        translateKmsErrors(() -> keys.resolve(keyIdentifier)).setEnabled(false);
    }

    /** Enables a key named by any identifier form. */
    public void enableKey(String keyIdentifier) {
        translateKmsErrors(() -> keys.resolve(keyIdentifier)).setEnabled(true);
    }

    /**
     * Denies an operation, so that requests for it get AccessDeniedException as if the caller
     * lacked the IAM permission. Denying ReEncrypt covers both the source and the destination key;
     * ReEncryptFrom and ReEncryptTo cover one side each.
     *
     * @param operation an operation name such as {@code GenerateDataKey}
     * @param keyIdentifier the key, by any identifier form; null denies the operation on every
     *     key and for requests that name no key (CreateKey, ListAliases)
     * @throws IllegalArgumentException if the operation is not served or the key does not exist
     */
    public void denyOperation(String operation, String keyIdentifier) {
        if (!deniableOperations.contains(operation)) {
            throw new IllegalArgumentException("Operation " + operation + " cannot be denied; use one of "
                    + deniableOperations);
        }
        String keyArn = keyIdentifier == null
                ? DenyList.ANY_KEY
                : translateKmsErrors(() -> keys.resolve(keyIdentifier)).arn();
        denials.deny(operation, keyArn);
    }

    /** Removes every denial. */
    public void clearDenials() {
        denials.clear();
    }

    /**
     * Returns the calls received over HTTP, oldest first. Only the most recent
     * {@value CallLog#MAX_RECORDED_CALLS} calls are kept.
     */
    public List<KmsCall> calls() {
        return callLog.calls();
    }

    /** Returns how many calls of the operation were received since start or the last {@link #resetCalls()}. */
    public long callCount(String operation) {
        return callLog.count(operation);
    }

    public void resetCalls() {
        callLog.clear();
    }

    /** Stops the server at once, without waiting for requests in progress, and stops its threads. */
    @Override
    public void close() {
        httpServer.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
                LOG.warn("Local KMS server at {}: handler threads did not finish within 5 s and were interrupted",
                        endpoint);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        LOG.info("Local KMS server at {} stopped", endpoint);
    }

    /**
     * Runs a standalone server; see {@code --help}. Exits with status 2 on invalid options and 1 if
     * the server cannot start.
     */
    public static void main(String[] args) {
        int status = LocalKmsCommand.run(args, System.in, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Translates a KMS error from the key store into the exception a Java caller expects. */
    private static <T> T translateKmsErrors(Supplier<T> action) {
        try {
            return action.get();
        } catch (KmsServiceException e) {
            throw new IllegalArgumentException(e.errorType() + ": " + e.getMessage(), e);
        }
    }

    /** Options of a server; {@link #start()} binds it. */
    public static final class Builder {
        private int port;
        private String region = DEFAULT_REGION;
        private String accountId = DEFAULT_ACCOUNT_ID;

        private Builder() {
        }

        /** Sets the port on 127.0.0.1. The default, 0, picks an ephemeral port. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("Port must be 0 to 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** Sets the region in key and alias ARNs. The default is {@value LocalKmsServer#DEFAULT_REGION}. */
        public Builder region(String region) {
            if (!REGION.matcher(Objects.requireNonNull(region, "region")).matches()) {
                throw new IllegalArgumentException("Region '" + region + "' is invalid; expected a name like us-east-1");
            }
            this.region = region;
            return this;
        }

        /** Sets the 12-digit account ID in key and alias ARNs. The default is {@value LocalKmsServer#DEFAULT_ACCOUNT_ID}. */
        public Builder accountId(String accountId) {
            if (!ACCOUNT_ID.matcher(Objects.requireNonNull(accountId, "accountId")).matches()) {
                throw new IllegalArgumentException("Account ID '" + accountId + "' is invalid; expected 12 digits");
            }
            this.accountId = accountId;
            return this;
        }

        /**
         * Binds the server to 127.0.0.1 and starts it.
         *
         * @throws UncheckedIOException if the port cannot be bound, for example because it is in use
         */
        public LocalKmsServer start() {
            try {
                return new LocalKmsServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the local KMS server on 127.0.0.1:" + port
                        + ": " + e.getMessage(), e);
            }
        }
    }
}
