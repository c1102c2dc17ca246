package io.github.dssesink.benchmarks;

import java.util.Map;

import io.github.dssesink.connector.config.DsseS3SinkConfig;

/** The encryption settings that {@link SinkCostHarness} compares; everything else stays the same. */
enum SinkCase {
    PLAIN("plain", "no client-side encryption, no SSE header"),
    DSSE_HEADER("dsse-header", "DSSE-KMS header only, no client-side encryption"),
    DUAL_LAYER("dual-layer", "both client-side layers and the DSSE-KMS header (the defaults)"),
    DUAL_LAYER_ACCP("dual-layer-accp", "as dual-layer, with layer 1 on Amazon Corretto Crypto Provider");

    /** The JCA provider name of Amazon Corretto Crypto Provider 2.5.0. */
    static final String ACCP_PROVIDER_NAME = "AmazonCorrettoCryptoProvider";

    private final String label;
    private final String description;

    SinkCase(String label, String description) {
        this.label = label;
        this.description = description;
    }

    String label() {
        return label;
    }

    String description() {
        return description;
    }

    static SinkCase parse(String label) {
        for (SinkCase sinkCase : values()) {
            if (sinkCase.label.equals(label.trim())) {
                return sinkCase;
            }
        }
        throw new IllegalArgumentException("Unknown case '" + label + "'; use plain, dsse-header, dual-layer or dual-layer-accp");
    }

    /** Adds this case's encryption settings to the task config. */
    void configure(Map<String, String> props, String layer1KeyId, String layer2KeyId) {
        boolean clientEncryption = this == DUAL_LAYER || this == DUAL_LAYER_ACCP;
        props.put(DsseS3SinkConfig.CLIENT_ENCRYPTION_ENABLED, Boolean.toString(clientEncryption));
        if (this == PLAIN) {
            props.put(DsseS3SinkConfig.S3_SSEA_NAME, "");
        } else {
            props.put(DsseS3SinkConfig.S3_SSEA_NAME, "aws:kms:dsse");
            // A bare key ID: S3Mock 5.2.0 rejects key ARNs.
            props.put(DsseS3SinkConfig.S3_SSE_KMS_KEY_ID, layer2KeyId);
        }
        if (clientEncryption) {
            props.put(DsseS3SinkConfig.LAYER1_KMS_KEY_ID, layer1KeyId);
            props.put(DsseS3SinkConfig.LAYER2_KMS_KEY_ID, layer2KeyId);
        }
        if (this == DUAL_LAYER_ACCP) {
            props.put(DsseS3SinkConfig.LAYER1_JCA_PROVIDER, ACCP_PROVIDER_NAME);
        }
    }
}
