package io.github.dssesink.kmslocal;

import static io.github.dssesink.kmslocal.KmsTestSupport.assertKmsErrorCode;
import static io.github.dssesink.kmslocal.KmsTestSupport.assertSdkError;
import static io.github.dssesink.kmslocal.KmsTestSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.InvalidKeyUsageException;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.UnsupportedOperationException;

/** Wire protocol, error mapping, denials, call records and server lifecycle. */
class LocalKmsServerProtocolTest {

    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalKmsServer server;
    private static KmsClient kms;
    private static HttpClient http;

    @BeforeAll
    static void startServer() {
        server = LocalKmsServer.start();
        kms = KmsTestSupport.kmsClient(server);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopServer() {
        kms.close();
        server.close();
    }

    @AfterEach
    void clearDenials() {
        server.clearDenials();
    }

    @Test
    void endpointIsLoopback() {
        URI endpoint = server.endpoint();

        assertEquals("http", endpoint.getScheme());
        assertEquals("127.0.0.1", endpoint.getHost());
        assertTrue(endpoint.getPort() > 0);
    }

    @Test
    void errorTypesMapToSdkExceptions() {
        LocalKeyMetadata key = server.createKey("error mapping");
        LocalKeyMetadata otherKey = server.createKey("error mapping other");
        LocalKeyMetadata disabledKey = server.createKey("error mapping disabled");
        LocalKeyMetadata hmacKey = server.createKey("error mapping hmac", "HMAC_256", "GENERATE_VERIFY_MAC");
        server.disableKey(disabledKey.keyId());
        server.createAlias("mapping-" + key.keyId(), key.keyId());
        SdkBytes blob = kms.encrypt(request -> request.keyId(key.keyId()).plaintext(utf8("x"))).ciphertextBlob();

        assertSdkError(NotFoundException.class, () -> kms.describeKey(request -> request.keyId("alias/missing")));
        assertSdkError(DisabledException.class, () -> kms.encrypt(request -> request
                .keyId(disabledKey.keyId()).plaintext(utf8("x"))));
        assertSdkError(InvalidCiphertextException.class, () -> kms.decrypt(request -> request
                .ciphertextBlob(blob).encryptionContext(Map.of("k", "v"))));
        assertSdkError(IncorrectKeyException.class, () -> kms.decrypt(request -> request
                .ciphertextBlob(blob).keyId(otherKey.keyId())));
        assertSdkError(InvalidKeyUsageException.class, () -> kms.encrypt(request -> request
                .keyId(hmacKey.keyId()).plaintext(utf8("x"))));
        assertSdkError(AlreadyExistsException.class, () -> kms.createAlias(request -> request
                .aliasName("alias/mapping-" + key.keyId()).targetKeyId(otherKey.keyId())));
        assertSdkError(UnsupportedOperationException.class, () -> kms.listKeys());

        // The SDK has no classes for these two, so it raises KmsException with the error code.
        assertKmsErrorCode("ValidationException", () -> kms.encrypt(request -> request.keyId(key.keyId())));
        server.denyOperation("Encrypt", key.keyId());
        assertKmsErrorCode("AccessDeniedException", () -> kms.encrypt(request -> request
                .keyId(key.keyId()).plaintext(utf8("x"))));
    }

    @Test
    void unsupportedOperationNamesIt() {
        server.resetCalls();

        UnsupportedOperationException error = assertSdkError(UnsupportedOperationException.class,
                () -> kms.sign(request -> request.keyId("alias/any").message(utf8("m"))));

        assertTrue(error.awsErrorDetails().errorMessage().contains("Sign"), error.awsErrorDetails().errorMessage());
        assertEquals(1, server.callCount("Sign"));
        assertEquals("UnsupportedOperationException", server.calls().get(0).errorType());
    }

    @Test
    void denyOperationSimulatesMissingPermission() {
        LocalKeyMetadata denied = server.createKey("denied");
        LocalKeyMetadata allowed = server.createKey("allowed");
        String aliasName = "alias/denied-" + denied.keyId();
        server.createAlias(aliasName, denied.keyId());
        SdkBytes blob = kms.encrypt(request -> request.keyId(denied.keyId()).plaintext(utf8("x"))).ciphertextBlob();

        server.denyOperation("GenerateDataKey", aliasName);

        for (String identifier : List.of(denied.keyId(), denied.arn(), aliasName)) {
            KmsException error = assertKmsErrorCode("AccessDeniedException", () -> kms.generateDataKey(
                    request -> request.keyId(identifier).keySpec(DataKeySpec.AES_256)));
            assertTrue(error.awsErrorDetails().errorMessage().contains("kms:GenerateDataKey"));
            assertTrue(error.awsErrorDetails().errorMessage().contains(denied.arn()));
        }
        assertEquals(allowed.arn(), kms.generateDataKey(request -> request
                .keyId(allowed.keyId()).keySpec(DataKeySpec.AES_256)).keyId());
        assertEquals("x", kms.decrypt(request -> request.ciphertextBlob(blob)).plaintext().asUtf8String());

        server.clearDenials();
        assertEquals(denied.arn(), kms.generateDataKey(request -> request
                .keyId(denied.keyId()).keySpec(DataKeySpec.AES_256)).keyId());
    }

    @Test
    void denyOperationOnEveryKey() {
        LocalKeyMetadata key = server.createKey("any key denial");
        SdkBytes blob = kms.encrypt(request -> request.keyId(key.keyId()).plaintext(utf8("x"))).ciphertextBlob();

        server.denyOperation("Decrypt", null);
        server.denyOperation("CreateKey", null);

        assertKmsErrorCode("AccessDeniedException", () -> kms.decrypt(request -> request.ciphertextBlob(blob)));
        assertKmsErrorCode("AccessDeniedException", () -> kms.createKey(request -> request.description("x")));
        assertEquals(key.keyId(), kms.describeKey(request -> request.keyId(key.keyId())).keyMetadata().keyId());
    }

    @Test
    void denyReEncryptPerSide() {
        LocalKeyMetadata first = server.createKey("reencrypt first");
        LocalKeyMetadata second = server.createKey("reencrypt second");
        SdkBytes firstBlob = kms.encrypt(request -> request.keyId(first.keyId()).plaintext(utf8("1")))
                .ciphertextBlob();
        SdkBytes secondBlob = kms.encrypt(request -> request.keyId(second.keyId()).plaintext(utf8("2")))
                .ciphertextBlob();

        server.denyOperation("ReEncryptTo", second.keyId());
        assertKmsErrorCode("AccessDeniedException", () -> kms.reEncrypt(request -> request
                .ciphertextBlob(firstBlob).destinationKeyId(second.keyId())));
        assertEquals(first.arn(), kms.reEncrypt(request -> request
                .ciphertextBlob(secondBlob).destinationKeyId(first.keyId())).keyId());

        server.clearDenials();
        server.denyOperation("ReEncrypt", first.keyId());
        assertKmsErrorCode("AccessDeniedException", () -> kms.reEncrypt(request -> request
                .ciphertextBlob(firstBlob).destinationKeyId(second.keyId())));
        assertKmsErrorCode("AccessDeniedException", () -> kms.reEncrypt(request -> request
                .ciphertextBlob(secondBlob).destinationKeyId(first.keyId())));

        assertThrows(IllegalArgumentException.class, () -> server.denyOperation("Sign", null));
        assertThrows(IllegalArgumentException.class, () -> server.denyOperation("Decrypt", "alias/missing"));
    }

    @Test
    void callsRecordKeyContextAndResult() {
        LocalKeyMetadata key = server.createKey("call records");
        String aliasName = "alias/calls-" + key.keyId();
        server.createAlias(aliasName, key.keyId());
        Map<String, String> context = Map.of("topic", "orders");
        server.resetCalls();

        GenerateDataKeyResponse dataKey = kms.generateDataKey(request -> request
                .keyId(aliasName).keySpec(DataKeySpec.AES_256).encryptionContext(context));
        assertSdkError(InvalidCiphertextException.class, () -> kms.decrypt(request -> request
                .ciphertextBlob(dataKey.ciphertextBlob()).encryptionContext(Map.of("topic", "payments"))));
        kms.decrypt(request -> request.ciphertextBlob(dataKey.ciphertextBlob()).encryptionContext(context));
        assertSdkError(NotFoundException.class, () -> kms.describeKey(request -> request.keyId("alias/missing")));
        kms.listAliases();

        List<KmsCall> calls = server.calls();
        assertEquals(List.of(
                new KmsCall("GenerateDataKey", key.arn(), context, null),
                new KmsCall("Decrypt", key.arn(), Map.of("topic", "payments"), "InvalidCiphertextException"),
                new KmsCall("Decrypt", key.arn(), context, null),
                new KmsCall("DescribeKey", null, Map.of(), "NotFoundException"),
                new KmsCall("ListAliases", null, Map.of(), null)), calls);
        assertTrue(calls.get(0).succeeded());
        assertFalse(calls.get(1).succeeded());
        assertEquals(1, server.callCount("GenerateDataKey"));
        assertEquals(2, server.callCount("Decrypt"));
        assertEquals(1, server.callCount("DescribeKey"));
        assertEquals(0, server.callCount("Encrypt"));

        server.resetCalls();
        assertTrue(server.calls().isEmpty());
        assertEquals(0, server.callCount("Decrypt"));
    }

    @Test
    void reEncryptCallRecordsDestination() {
        LocalKeyMetadata source = server.createKey("record source");
        LocalKeyMetadata destination = server.createKey("record destination");
        SdkBytes blob = kms.encrypt(request -> request.keyId(source.keyId()).plaintext(utf8("x"))).ciphertextBlob();
        server.resetCalls();

        kms.reEncrypt(request -> request.ciphertextBlob(blob).destinationKeyId(destination.keyId())
                .destinationEncryptionContext(Map.of("to", "archive")));

        assertEquals(List.of(new KmsCall("ReEncrypt", destination.arn(), Map.of("to", "archive"), null)),
                server.calls());
    }

    @Test
    void concurrentCallsAllSucceed() throws Exception {
        LocalKeyMetadata key = server.createKey("concurrency");
        server.resetCalls();
        int threads = 8;
        int callsPerThread = 25;

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    int matches = 0;
                    for (int i = 0; i < callsPerThread; i++) {
                        GenerateDataKeyResponse dataKey = kms.generateDataKey(request -> request
                                .keyId(key.keyId()).keySpec(DataKeySpec.AES_256));
                        byte[] decrypted = kms.decrypt(request -> request.ciphertextBlob(dataKey.ciphertextBlob()))
                                .plaintext().asByteArray();
                        if (Arrays.equals(dataKey.plaintext().asByteArray(), decrypted)) {
                            matches++;
                        }
                    }
                    return matches;
                }));
            }
            for (Future<Integer> result : results) {
                assertEquals(callsPerThread, result.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(threads * callsPerThread, server.callCount("GenerateDataKey"));
        assertEquals(threads * callsPerThread, server.callCount("Decrypt"));
        assertEquals(2 * threads * callsPerThread, server.calls().size());
    }

    @Test
    void withoutPlaintextResponseOmitsPlaintext() throws Exception {
        LocalKeyMetadata key = server.createKey("raw without plaintext");

        HttpResponse<String> response = post("TrentService.GenerateDataKeyWithoutPlaintext",
                "{\"KeyId\":\"" + key.keyId() + "\",\"KeySpec\":\"AES_256\"}");

        assertEquals(200, response.statusCode());
        assertEquals(CONTENT_TYPE, response.headers().firstValue("Content-Type").orElse(null));
        JsonNode body = JSON.readTree(response.body());
        assertEquals(key.arn(), body.get("KeyId").textValue());
        assertTrue(body.get("CiphertextBlob").textValue().length() > 0);
        assertNull(body.get("Plaintext"));
    }

    @Test
    void malformedRequestsGetJsonErrors() throws Exception {
        assertRawError(post("TrentService.DescribeKey", "{not json"), 400, "SerializationException");
        assertRawError(post("TrentService.DescribeKey", "[]"), 400, "SerializationException");
        assertRawError(post("TrentService.DescribeKey", ""), 400, "SerializationException");
        assertRawError(post("TrentService.DescribeKey", "{} {}"), 400, "SerializationException");
        assertRawError(post("TrentService.DescribeKey", "{\"KeyId\": 5}"), 400, "ValidationException");
        assertRawError(post("TrentService.Decrypt", "{\"CiphertextBlob\": \"not base64!\"}"), 400,
                "ValidationException");
        assertRawError(post("TrentService.GenerateDataKey",
                "{\"KeyId\":\"alias/x\",\"KeySpec\":\"AES_256\",\"EncryptionContext\":{\"a\":1}}"),
                400, "ValidationException");
        assertRawError(post("TrentService.GenerateDataKey",
                "{\"KeyId\":\"alias/x\",\"NumberOfBytes\":\"32\"}"), 400, "ValidationException");
        assertRawError(post("TrentService.NoSuchOperation", "{}"), 400, "UnsupportedOperationException");
        assertRawError(post("KeyService.DescribeKey", "{}"), 400, "UnsupportedOperationException");
        assertRawError(send(HttpRequest.newBuilder(server.endpoint()).POST(HttpRequest.BodyPublishers.ofString("{}"))),
                400, "UnsupportedOperationException");
        assertRawError(send(HttpRequest.newBuilder(server.endpoint()).GET()), 405, "UnsupportedOperationException");
        assertRawError(send(HttpRequest.newBuilder(server.endpoint().resolve("/other"))
                .header("X-Amz-Target", "TrentService.ListAliases")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))), 404, "UnsupportedOperationException");

        LocalKeyMetadata key = server.createKey("after malformed requests");
        byte[] plaintext = kms.generateDataKey(request -> request.keyId(key.keyId()).keySpec(DataKeySpec.AES_256))
                .plaintext().asByteArray();
        assertEquals(32, plaintext.length);
    }

    @Test
    void oversizedBodyIsRejected() throws Exception {
        String body = "{\"Description\":\"" + "x".repeat(1 << 20) + "\"}";

        assertRawError(post("TrentService.CreateKey", body), 400, "ValidationException");
    }

    @Test
    void startOnGivenPort() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }

        try (LocalKmsServer fixed = LocalKmsServer.start(port)) {
            assertEquals(URI.create("http://127.0.0.1:" + port), fixed.endpoint());
            UncheckedIOException error = assertThrows(UncheckedIOException.class, () -> LocalKmsServer.start(port));
            assertTrue(error.getMessage().contains("127.0.0.1:" + port), error.getMessage());
        }
    }

    @Test
    void closeStopsServing() throws IOException {
        LocalKmsServer stopped = LocalKmsServer.start();
        try (KmsClient client = KmsTestSupport.kmsClient(stopped)) {
            LocalKeyMetadata key = stopped.createKey("before close");
            byte[] plaintext = client.generateDataKey(request -> request.keyId(key.keyId()).numberOfBytes(8))
                    .plaintext().asByteArray();
            assertEquals(8, plaintext.length);
        }

        stopped.close();

        int port = stopped.endpoint().getPort();
        try (Socket socket = new Socket()) {
            assertThrows(ConnectException.class, () -> socket.connect(new InetSocketAddress("127.0.0.1", port), 2000));
        }
    }

    @Test
    void decryptAfterEncryptOverRawHttp() throws Exception {
        LocalKeyMetadata key = server.createKey("raw round trip");
        String plaintext = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});

        JsonNode encrypted = JSON.readTree(post("TrentService.Encrypt",
                "{\"KeyId\":\"" + key.keyId() + "\",\"Plaintext\":\"" + plaintext + "\"}").body());
        JsonNode decrypted = JSON.readTree(post("TrentService.Decrypt",
                "{\"CiphertextBlob\":\"" + encrypted.get("CiphertextBlob").textValue() + "\"}").body());

        assertEquals("SYMMETRIC_DEFAULT", encrypted.get("EncryptionAlgorithm").textValue());
        assertArrayEquals(new byte[] {1, 2, 3}, Base64.getDecoder().decode(decrypted.get("Plaintext").textValue()));
        assertEquals(key.arn(), decrypted.get("KeyId").textValue());
    }

    private static HttpResponse<String> post(String target, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(server.endpoint())
                .header("X-Amz-Target", target)
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRawError(HttpResponse<String> response, int expectedStatus, String expectedType)
            throws IOException {
        assertEquals(expectedStatus, response.statusCode(), response.body());
        assertEquals(CONTENT_TYPE, response.headers().firstValue("Content-Type").orElse(null));
        JsonNode body = JSON.readTree(response.body());
        assertEquals(expectedType, body.get("__type").textValue(), response.body());
        assertFalse(body.get("message").textValue().isEmpty());
    }
}
