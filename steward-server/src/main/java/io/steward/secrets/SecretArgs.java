package io.steward.secrets;

import io.steward.coordinator.InvokeRequest;
import io.steward.coordinator.RunIds;
import io.steward.engine.JsonValues;
import io.steward.store.RunSecretStore;

import java.util.Map;

/**
 * Gives an invoke request its secret args and keeps them, sealed, under the run's id before the run exists: a
 * retry (which may come before the first attempt's invoke has even answered) finds them there.
 */
public final class SecretArgs {
    private SecretArgs() {
    }

    /**
     * {@code request} with {@code secretArgs}, under an id of its own, and those args sealed in the store.
     *
     * @throws IllegalArgumentException when a secret arg is also a plain arg, or is not JSON
     * @throws io.steward.store.SecretsUnavailableException when the primary has no key to seal them with
     */
    public static InvokeRequest attach(InvokeRequest request, Map<String, Object> secretArgs, RunSecretStore store) {
        if (secretArgs == null || secretArgs.isEmpty()) {
            return request;
        }
        Map<String, Object> copy = JsonValues.copyMap("secretArgs", secretArgs);
        InvokeRequest withSecrets = request.withSecretArgs(copy);
        InvokeRequest named = withSecrets.id() != null ? withSecrets : withSecrets.withId(RunIds.next());
        store.save(named.id(), copy);
        return named;
    }

    /** Drops what {@link #attach} kept, for a request that was refused. */
    public static void forget(InvokeRequest request, RunSecretStore store) {
        if (!request.secretArgs().isEmpty() && request.id() != null) {
            store.forget(request.id());
        }
    }

    /** {@code request} (a retry's next attempt of {@code firstRun}) with the secret args its first attempt had. */
    public static InvokeRequest reload(InvokeRequest request, String firstRun, RunSecretStore store) {
        Map<String, Object> secretArgs = store.load(firstRun);
        return secretArgs.isEmpty() ? request : request.withSecretArgs(secretArgs);
    }
}
