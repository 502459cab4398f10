package io.steward.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Sealed secret args on the embedded default, with the key made in the data folder on first start. */
class H2SecretStoreTest extends SecretStoreContractTest {
    @TempDir
    Path dataDir;

    @Override
    StoreConfig.Builder database() {
        return StoreConfig.builder().dataDir(dataDir).secretKey(null);
    }

    @Test
    void theKeyIsMadeOnFirstStartReadableByItsOwnerOnlyAndKept() throws Exception {
        Path key = dataDir.resolve("secret.key");
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String made = Files.readString(key);
        store.secrets().save(RUN, Map.of("password", VALUE));
        store.close();
        store = Store.open(configured.build());
        assertThat(Files.readString(key)).isEqualTo(made);
        assertThat(store.secrets().load(RUN)).containsEntry("password", VALUE);
    }
}
