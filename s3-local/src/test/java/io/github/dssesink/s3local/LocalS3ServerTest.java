package io.github.dssesink.s3local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

class LocalS3ServerTest {
    private static LocalS3Server server;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        server = LocalS3Server.start();
        s3 = S3Client.builder()
                .endpointOverride(server.endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test-access-key", "test-secret-key")))
                .build();
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    @Test
    void dsseHeadersEchoedOnPutAndHead() {
        s3.createBucket(b -> b.bucket("dsse-bucket"));
        PutObjectResponse put = s3.putObject(b -> b.bucket("dsse-bucket").key("a/b.json")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS_DSSE).ssekmsKeyId("1234abcd-12ab-34cd-56ef-1234567890ab"),
                RequestBody.fromString("{\"id\":1}\n"));
        assertEquals(ServerSideEncryption.AWS_KMS_DSSE, put.serverSideEncryption());
        HeadObjectResponse head = s3.headObject(b -> b.bucket("dsse-bucket").key("a/b.json"));
        assertEquals(ServerSideEncryption.AWS_KMS_DSSE, head.serverSideEncryption());
        assertEquals("1234abcd-12ab-34cd-56ef-1234567890ab", head.ssekmsKeyId());
        assertEquals("{\"id\":1}\n", s3.getObjectAsBytes(b -> b.bucket("dsse-bucket").key("a/b.json")).asUtf8String());
    }

    @Test
    void awsKmsAcceptsOnlyListedKeys() {
        String listed = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        try (LocalS3Server withKeys = LocalS3Server.start(0, java.time.Duration.ofMinutes(5), List.of(listed));
             S3Client client = S3Client.builder()
                     .endpointOverride(withKeys.endpoint())
                     .forcePathStyle(true)
                     .region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test-access-key", "test-secret-key")))
                     .build()) {
            client.createBucket(b -> b.bucket("kms-bucket"));
            PutObjectResponse put = client.putObject(b -> b.bucket("kms-bucket").key("listed")
                    .serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId("1234abcd-12ab-34cd-56ef-1234567890ab"),
                    RequestBody.fromString("x"));
            assertEquals(ServerSideEncryption.AWS_KMS, put.serverSideEncryption());

            software.amazon.awssdk.services.s3.model.S3Exception rejected = org.junit.jupiter.api.Assertions.assertThrows(
                    software.amazon.awssdk.services.s3.model.S3Exception.class,
                    () -> client.putObject(b -> b.bucket("kms-bucket").key("unlisted")
                            .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                            .ssekmsKeyId("00000000-0000-0000-0000-000000000000"),
                            RequestBody.fromString("x")));
            assertEquals(400, rejected.statusCode());
        }
    }

    @Test
    void listensOnLoopbackOnly() throws IOException {
        List<String> addresses = listeningAddresses(server.pid());
        assertEquals(2, addresses.size(), "the HTTP and HTTPS connectors only, no S3 Vectors ports: " + addresses);
        for (String socket : addresses) {
            String address = socket.substring(0, socket.indexOf(':'));
            assertTrue(address.equals("0100007F") || address.equals("00000000000000000000000001000000")
                            || address.equals("0000000000000000FFFF00000100007F"),
                    "socket bound to " + socket + ", expected 127.0.0.1 or ::1; all: " + addresses);
        }
    }

    @Test
    void stopsWhenParentClosesInput() throws Exception {
        LocalS3Server second = LocalS3Server.start();
        ProcessHandle child = ProcessHandle.of(second.pid()).orElseThrow();
        second.close();
        assertTrue(child.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS) != null);
        assertFalse(child.isAlive());
        assertFalse(Files.exists(second.storeRoot()), "store removed on close");
    }

    /** Returns the local address:port pairs (hex, as the kernel prints them) of the listening TCP sockets of a process. */
    private static List<String> listeningAddresses(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // The descriptor closed while listing.
                }
            });
        }
        List<String> addresses = new java.util.ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", table))) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 9 && fields[3].equals("0A") && inodes.contains(fields[9])) {
                    addresses.add(fields[1]);
                }
            }
        }
        return addresses;
    }
}
