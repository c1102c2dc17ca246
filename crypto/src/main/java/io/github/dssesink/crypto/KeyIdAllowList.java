package io.github.dssesink.crypto;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The KMS keys accepted on decrypt. An entry matches a recorded key ID when it is equal, when it
 * is the bare key ID of a recorded key ARN ({@code arn:...:key/<id>}), or when it is an alias
 * (name or ARN) whose target, resolved once with DescribeKey, is the recorded key. An empty list
 * accepts every key.
 */
final class KeyIdAllowList {
    private final List<String> entries;
    private final Map<KeyProviderId, KeyProvider> providers;
    private final Set<String> resolvedAliasTargets = ConcurrentHashMap.newKeySet();
    private volatile boolean aliasesResolved;

    KeyIdAllowList(Collection<String> entries, Map<KeyProviderId, KeyProvider> providers) {
        this.entries = new ArrayList<>(entries);
        this.providers = providers;
    }

    void check(int layer, String recordedKeyId) {
        if (entries.isEmpty() || allows(recordedKeyId)) {
            return;
        }
        throw new EnvelopeException(EnvelopeException.Reason.KEY_NOT_ALLOWED, "Layer " + layer + " key '" + recordedKeyId
                + "' is not on the decrypt allow-list " + entries + "; add it to the allow-list if it is trusted");
    }

    private boolean allows(String recordedKeyId) {
        for (String entry : entries) {
            if (entry.equals(recordedKeyId) || recordedKeyId.endsWith(":key/" + entry)) {
                return true;
            }
        }
        resolveAliases();
        return resolvedAliasTargets.contains(recordedKeyId);
    }

    private void resolveAliases() {
        if (aliasesResolved) {
            return;
        }
        KeyProvider kms = providers.get(KeyProviderId.AWS_KMS);
        for (String entry : entries) {
            if (kms != null && (entry.startsWith("alias/") || entry.contains(":alias/"))) {
                KeyProvider.KeyDescription description = kms.describeKey(entry);
                resolvedAliasTargets.add(description.arn());
            }
        }
        aliasesResolved = true;
    }
}
