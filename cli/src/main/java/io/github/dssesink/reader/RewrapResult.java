package io.github.dssesink.reader;

/**
 * The outcome of re-wrapping one object's data keys.
 *
 * @param location the object
 * @param status what happened
 * @param layer1Before the layer-1 KMS key ID before
 * @param layer1After the layer-1 KMS key ID after (for a dry run, the target)
 * @param layer2Before the layer-2 KMS key ID before
 * @param layer2After the layer-2 KMS key ID after (for a dry run, the target)
 */
public record RewrapResult(S3Location location, Status status, String layer1Before, String layer1After,
                           String layer2Before, String layer2After) {

    /** The action taken on the object. */
    public enum Status {
        /** The key block was replaced. */
        REWRAPPED,
        /** Dry run: the key block would be replaced. */
        WOULD_REWRAP,
        /** Both layers already are on the target keys; nothing was done. */
        ALREADY_ON_TARGET
    }
}
