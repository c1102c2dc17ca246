package io.github.dssesink.crypto;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Replaces an object's wrapped data keys with the same data keys wrapped under other KMS keys (KMS
 * ReEncrypt: the plaintext data keys never leave the key service). The data keys do not change, so
 * the body, its header and its commitments stay valid. Only the key block, stored beside the body,
 * is rewritten.
 */
public final class KeyRewrapper {
    private final Map<KeyProviderId, KeyProvider> providers = new EnumMap<>(KeyProviderId.class);

    public KeyRewrapper(KeyProvider... keyProviders) {
        for (KeyProvider provider : keyProviders) {
            providers.put(provider.id(), Objects.requireNonNull(provider, "provider"));
        }
    }

    /**
     * Returns a key block whose layers are wrapped under the given keys. A null target, or a
     * layer whose recorded key already is the target, keeps that layer's wrapped key unchanged.
     *
     * @param encryptionContext the object's context, from its header
     */
    public KeyBlock rewrap(KeyBlock keyBlock, Map<String, String> encryptionContext, String layer1TargetKeyId,
                           String layer2TargetKeyId) {
        return new KeyBlock(
                rewrapLayer(keyBlock.layer1(), 1, encryptionContext, layer1TargetKeyId),
                rewrapLayer(keyBlock.layer2(), 2, encryptionContext, layer2TargetKeyId));
    }

    /** Returns true when the recorded key ID already is the target (equal, or the target is its bare key ID). */
    public static boolean isOnKey(String recordedKeyId, String targetKeyId) {
        return recordedKeyId.equals(targetKeyId) || recordedKeyId.endsWith(":key/" + targetKeyId);
    }

    private KeyBlock.WrappedKey rewrapLayer(KeyBlock.WrappedKey wrapped, int layer, Map<String, String> context, String target) {
        if (target == null || isOnKey(wrapped.keyId(), target)) {
            return wrapped;
        }
        KeyProvider provider = providers.get(wrapped.provider());
        if (provider == null) {
            throw new EnvelopeException(EnvelopeException.Reason.KEY_BLOCK, "Layer " + layer + " was wrapped by key provider '"
                    + wrapped.provider().configName() + "', which is not configured for re-wrapping");
        }
        KeyProvider.WrappedDataKey result = provider.reEncrypt(wrapped.keyId(), wrapped.wrappedDataKey(),
                EnvelopeEncryptor.layerContext(context, layer), target);
        return new KeyBlock.WrappedKey(wrapped.provider(), result.keyId(), result.wrapped());
    }
}
