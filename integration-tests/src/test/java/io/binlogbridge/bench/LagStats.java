package io.binlogbridge.bench;

import io.binlogbridge.core.gtid.MySqlGtid;
import java.util.Map;

/** Per transaction: arrival at an observer minus arrival at the reference observer (the source's dump client), in ms. */
record LagStats(String observer, int matched, int reference, double p50Ms, double p99Ms, double maxMs, double minMs) {

    static LagStats of(String observer, Map<MySqlGtid, Long> reference, Map<MySqlGtid, Long> arrivals) {
        double[] lags = reference.entrySet().stream().filter(e -> arrivals.containsKey(e.getKey()))
                .mapToDouble(e -> (arrivals.get(e.getKey()) - e.getValue()) / 1e6).toArray();
        return ofSamples(observer, lags, reference.size());
    }

    /** {@code lagsMs}: one lag per matched transaction, in any order, of {@code expected} transactions. */
    static LagStats ofSamples(String observer, double[] lagsMs, int expected) {
        double[] lags = lagsMs.clone();
        java.util.Arrays.sort(lags);
        return new LagStats(observer, lags.length, expected, percentile(lags, 0.50), percentile(lags, 0.99),
                lags.length == 0 ? Double.NaN : lags[lags.length - 1], lags.length == 0 ? Double.NaN : lags[0]);
    }

    /** Nearest rank. */
    private static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    Map<String, Object> toJson() {
        return Json.object("observer", observer, "matched", matched, "sourceTransactions", reference, "p50Ms", p50Ms,
                "p99Ms", p99Ms, "maxMs", maxMs, "minMs", minMs);
    }

    @Override
    public String toString() {
        return String.format("%s: %d/%d matched, p50 %.2f ms, p99 %.2f ms, max %.2f ms", observer, matched, reference,
                p50Ms, p99Ms, maxMs);
    }
}
