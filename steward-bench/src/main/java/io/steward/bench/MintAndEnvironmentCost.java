package io.steward.bench;

import com.sun.jna.Memory;
import io.steward.coordinator.RunTokens;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * What a run's first process costs before it is spawned: minting the run token ({@link RunTokens#open} and
 * {@code close}) and building the posix spawner's {@code envp} with the run's three {@code STEWARD_*} variables.
 * The spawner's method is private, reached by reflection, so that the same class measures any revision of it.
 * Medians of 7 batches of 20,000 calls. {@code java --enable-native-access=ALL-UNNAMED -cp benchmarks.jar
 * io.steward.bench.MintAndEnvironmentCost}; run it under {@code env V1=… V300=…} to see a large environment.
 */
public final class MintAndEnvironmentCost {
    private MintAndEnvironmentCost() {
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        RunTokens tokens = new RunTokens(() -> "http://127.0.0.1:7640");
        Class<?> spawner = Class.forName("io.steward.process.PosixSpawner");
        Method instance = spawner.getDeclaredMethod("instance");
        instance.setAccessible(true);
        instance.invoke(null);
        Method environment = spawner.getDeclaredMethod("environment", Map.class);
        environment.setAccessible(true);
        Map<String, String> extra = tokens.open("warm");
        int n = 20_000;
        double[] mint = new double[7];
        double[] env = new double[7];
        for (int r = 0; r < mint.length; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                String id = "r" + i;
                tokens.open(id);
                tokens.close(id);
            }
            mint[r] = (System.nanoTime() - t0) / 1e3 / n;
            t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                ((Memory) environment.invoke(null, extra)).close();
            }
            env[r] = (System.nanoTime() - t0) / 1e3 / n;
        }
        Arrays.sort(mint);
        Arrays.sort(env);
        System.out.printf(Locale.ROOT, "%d inherited variables: run token mint + close %.2f us (best batch %.2f); "
                + "envp with the STEWARD_* variables %.2f us (best batch %.2f)%n", System.getenv().size(), mint[3], mint[0], env[3], env[0]);
        System.exit(0);
    }
}
