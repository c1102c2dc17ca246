package io.github.dssesink.kmslocal;

import java.util.Map;

/**
 * One KMS request that a {@link LocalKmsServer} received over HTTP.
 *
 * @param operation the operation from the X-Amz-Target header, for example {@code GenerateDataKey},
 *     also when the server does not support it
 * @param keyArn the ARN of the key the call named or created, or null if it named none or the key
 *     could not be resolved. For Decrypt it is the key the blob names, for ReEncrypt the
 *     destination key.
 * @param encryptionContext the encryption context of the request, sorted by key, empty if none.
 *     For ReEncrypt it is the destination encryption context.
 * @param errorType the {@code __type} of the error response, for example
 *     {@code DisabledException}, or null if the call succeeded
 */
public record KmsCall(String operation, String keyArn, Map<String, String> encryptionContext, String errorType) {

    public boolean succeeded() {
        return errorType == null;
    }
}
