package io.github.dssesink.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes the format test vectors to the path given as the first argument. The committed file was
 * made with it; rerunning it changes only the wrapped data keys (the keyring draws random nonces),
 * every other value is fixed.
 */
public final class TestVectorGenerator {
    private static final HexFormat HEX = HexFormat.of();

    private TestVectorGenerator() {
    }

    public static void main(String[] args) throws Exception {
        byte[] master1 = HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        byte[] master2 = HEX.parseHex("202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f");
        LocalKeyring keyring = LocalKeyring.of(Map.of("vector-layer1", master1, "vector-layer2", master2));
        byte[] dataKey1 = HEX.parseHex("4142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f60");
        byte[] dataKey2 = HEX.parseHex("6162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f80");
        byte[] salt = HEX.parseHex("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
        Map<String, String> context = new TreeMap<>(Map.of(
                "dsse-sink:purpose", "kafka-connect-s3-sink", "dsse-sink:connector", "vectors", "dsse-sink:topic", "orders"));

        KeyBlock keyBlock = new KeyBlock(
                new KeyBlock.WrappedKey(KeyProviderId.LOCAL_KEYRING, "vector-layer1",
                        wrap(keyring, "vector-layer1", dataKey1, EnvelopeEncryptor.layerContext(context, 1))),
                new KeyBlock.WrappedKey(KeyProviderId.LOCAL_KEYRING, "vector-layer2",
                        wrap(keyring, "vector-layer2", dataKey2, EnvelopeEncryptor.layerContext(context, 2))));

        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("format", "DSSE Sink object format, version 1, suite 1");
        ObjectNode keys = root.putObject("keyringMasterKeys");
        keys.put("vector-layer1", Base64.getEncoder().encodeToString(master1));
        keys.put("vector-layer2", Base64.getEncoder().encodeToString(master2));
        root.put("layer1DataKey", HEX.formatHex(dataKey1));
        root.put("layer2DataKey", HEX.formatHex(dataKey2));
        root.put("salt", HEX.formatHex(salt));
        root.set("encryptionContext", json.valueToTree(context));
        root.put("keyBlock", keyBlock.toBase64());
        KeyDerivation.LayerKeys keys1 = KeyDerivation.layerKeys(1, dataKey1, salt);
        KeyDerivation.LayerKeys keys2 = KeyDerivation.layerKeys(2, dataKey2, salt);
        root.put("layer1ContentKey", HEX.formatHex(keys1.contentKey()));
        root.put("layer1Commitment", HEX.formatHex(keys1.commitment()));
        root.put("layer2ContentKey", HEX.formatHex(keys2.contentKey()));
        root.put("layer2Commitment", HEX.formatHex(keys2.commitment()));
        root.put("headerKey", HEX.formatHex(KeyDerivation.headerKey(dataKey1, dataKey2, salt)));

        ArrayNode vectors = root.putArray("vectors");
        Map<String, byte[]> plaintexts = new LinkedHashMap<>();
        plaintexts.put("empty object", new byte[0]);
        plaintexts.put("one short final frame", "{\"id\":1}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        plaintexts.put("three frames of 64 bytes, the last one partial", ascending(150));
        plaintexts.put("two full frames of 64 bytes", ascending(128));
        for (Map.Entry<String, byte[]> entry : plaintexts.entrySet()) {
            EnvelopeEncryptor encryptor = EnvelopeEncryptor.builder().layer1(keyring, "vector-layer1")
                    .layer2(keyring, "vector-layer2").frameSize(64).build();
            ByteArrayOutputStream object = new ByteArrayOutputStream();
            try (EncryptingOutputStream out = encryptor.open(object, new TreeMap<>(context), dataKey1, dataKey2, salt, keyBlock, null)) {
                out.write(entry.getValue());
            }
            encryptor.close();
            ObjectNode vector = vectors.addObject();
            vector.put("name", entry.getKey());
            vector.put("frameSize", 64);
            vector.put("plaintext", HEX.formatHex(entry.getValue()));
            vector.put("object", HEX.formatHex(object.toByteArray()));
        }
        Files.write(Path.of(args[0]), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }

    static byte[] ascending(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    private static byte[] wrap(LocalKeyring keyring, String keyId, byte[] dataKey, Map<String, String> context) {
        return keyring.wrap(keyId, dataKey, context);
    }
}
