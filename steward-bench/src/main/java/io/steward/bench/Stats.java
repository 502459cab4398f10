package io.steward.bench;

import java.util.Arrays;
import java.util.Collection;

/** Order statistics of benchmark samples: nearest-rank percentiles; the median averages the two middle values. */
final class Stats {
    private Stats() {
    }

    static double median(Collection<Double> samples) {
        double[] s = sorted(samples);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** Nearest-rank percentile, {@code p} in (0, 100]. */
    static double percentile(Collection<Double> samples, double p) {
        double[] s = sorted(samples);
        int rank = (int) Math.ceil(p / 100 * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }

    /** {@code a / b}, or NaN when either is missing or {@code b} is zero. */
    static double ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? Double.NaN : a / b;
    }

    private static double[] sorted(Collection<Double> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        double[] s = samples.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(s);
        return s;
    }
}
