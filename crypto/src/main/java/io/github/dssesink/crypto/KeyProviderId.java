package io.github.dssesink.crypto;

/** The key provider that wrapped a data key, as recorded in the key block. */
public enum KeyProviderId {
    AWS_KMS((byte) 1, "aws-kms"),
    LOCAL_KEYRING((byte) 2, "local");

    private final byte code;
    private final String configName;

    KeyProviderId(byte code, String configName) {
        this.code = code;
        this.configName = configName;
    }

    public byte code() {
        return code;
    }

    /** Returns the name used in configuration and logs: {@code aws-kms} or {@code local}. */
    public String configName() {
        return configName;
    }

    static KeyProviderId fromCode(byte code) {
        for (KeyProviderId id : values()) {
            if (id.code == code) {
                return id;
            }
        }
        throw new EnvelopeException(EnvelopeException.Reason.KEY_BLOCK, "Invalid key block: unknown key provider id " + (code & 0xFF));
    }
}
