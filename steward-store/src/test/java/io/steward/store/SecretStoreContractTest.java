package io.steward.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sealed secret args on every backend: they round-trip, the table holds only ciphertext, and everything that is
 * not exactly what was sealed for that run with this key is refused with a message saying which.
 */
abstract class SecretStoreContractTest {
    static final String RUN = "01RUNSECRET000000000000001";
    static final String OTHER = "01RUNSECRET000000000000002";
    static final String VALUE = "pa55-w0rd-in-the-store";

    Store store;
    StoreConfig.Builder configured;

    abstract StoreConfig.Builder database();

    static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @BeforeEach
    void openStore() {
        configured = database().languages(StoreContractTest.LANGUAGES).pruneEvery(null);
        store = Store.open(configured.build());
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    private String sealed(String runId) {
        return store.db().read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT sealed FROM run_secrets WHERE run_id = ?")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    private void putSealed(String runId, String sealed) {
        store.db().read(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE run_secrets SET sealed = ? WHERE run_id = ?")) {
                ps.setString(1, sealed);
                ps.setString(2, runId);
                return ps.executeUpdate();
            }
        });
    }

    @Test
    void secretArgsRoundTripAndTheTableHoldsOnlyCiphertext() {
        store.secrets().save(RUN, Map.of("password", VALUE, "pin", 1234L, "list", List.of("a", "b")));
        assertThat(store.secrets().load(RUN)).isEqualTo(Map.of("password", VALUE, "pin", 1234L, "list", List.of("a", "b")));
        assertThat(store.secrets().sealedWithAnotherKey()).isZero();
        String raw = sealed(RUN);
        assertThat(raw).startsWith("v1." + store.secrets().keyId().orElseThrow() + ".").doesNotContain(VALUE)
                .doesNotContain("password");
        store.secrets().save(OTHER, Map.of("password", VALUE));
        assertThat(sealed(OTHER)).as("a fresh nonce each time").isNotEqualTo(raw);
        assertThat(store.secrets().load("01RUNWITHOUTSECRETS0000000")).isEmpty();
        store.secrets().forget(RUN);
        assertThat(store.secrets().load(RUN)).isEmpty();
    }

    @Test
    void anotherKeyIsNamedNotDecryptedToGarbage() {
        store.secrets().save(RUN, Map.of("password", VALUE));
        String sealedWith = store.secrets().keyId().orElseThrow();
        store.close();
        store = Store.open(configured.secretKey(newKey()).build());
        assertThat(store.secrets().keyId()).get().isNotEqualTo(sealedWith);
        assertThat(store.secrets().sealedWithAnotherKey()).isEqualTo(1);
        assertThatThrownBy(() -> store.secrets().load(RUN)).isInstanceOf(SecretsUnavailableException.class)
                .hasMessageContaining("were sealed with the key " + sealedWith)
                .hasMessageContaining("this primary's key (STEWARD_SECRET_KEY) is " + store.secrets().keyId().orElseThrow())
                .hasMessageContaining("start the primary with the secret.key (or STEWARD_SECRET_KEY) they were sealed with");
    }

    @Test
    void aSealedValueMovedToAnotherRunOrTamperedWithDoesNotOpen() {
        store.secrets().save(RUN, Map.of("password", VALUE));
        store.secrets().save(OTHER, Map.of("password", "other"));
        String raw = sealed(RUN);
        putSealed(OTHER, raw);
        assertThatThrownBy(() -> store.secrets().load(OTHER)).isInstanceOf(SecretsUnavailableException.class)
                .hasMessageContaining("damaged or were not sealed for this run");

        char last = raw.charAt(raw.length() - 2);
        putSealed(RUN, raw.substring(0, raw.length() - 2) + (last == 'A' ? 'B' : 'A') + raw.charAt(raw.length() - 1));
        assertThatThrownBy(() -> store.secrets().load(RUN)).isInstanceOf(SecretsUnavailableException.class)
                .hasMessageContaining("damaged");
        putSealed(RUN, "v9.abc.def");
        assertThatThrownBy(() -> store.secrets().load(RUN)).isInstanceOf(SecretsUnavailableException.class)
                .hasMessageContaining("unknown format (v9)");
    }

    @Test
    void aBadKeyIsRefusedAtOpenWithTheFix() {
        store.close();
        store = null;
        assertThatThrownBy(() -> Store.open(configured.secretKey("c2hvcnQ=").build()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("must be 32 bytes in base64 (make one with `openssl rand -base64 32`)");
    }

    @Test
    void pruningARunDropsItsSecrets() throws Exception {
        Instant old = Instant.now().minus(10, ChronoUnit.DAYS);
        Snapshots.finishedRun(store.writer(), RUN, "a.groovy", old, old, 1);
        store.writer().flush();
        store.secrets().save(RUN, Map.of("password", VALUE));
        assertThat(store.runs().prune(Duration.ofDays(5), 0)).isEqualTo(1);
        assertThat(sealed(RUN)).isNull();
    }
}
