package io.binlogbridge.bench;

import io.binlogbridge.it.support.OpsHttp;
import java.io.IOException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The replayer's own share of a live transaction's lag, from its {@code binlogbridge_replayer_live_tail_delay_seconds}
 * meter: from the index tail reading the records to a parked dump's event loop streaming them. The mean is over the
 * measured window (the difference of two scrapes); the quantiles are the meter's own, over its last two minutes.
 */
record LiveTailDelay(long count, double sumSeconds, double p50Seconds, double p99Seconds) {
    private static final String NAME = "binlogbridge_replayer_live_tail_delay_seconds";
    private static final Pattern SAMPLE = Pattern.compile("^" + NAME + "(_count|_sum)?(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);

    static LiveTailDelay scrape(int httpPort) throws IOException, InterruptedException {
        OpsHttp.Answer a = OpsHttp.get(httpPort, "/metrics");
        if (a == null || a.status() != 200) {
            throw new IllegalStateException("the replayer's /metrics answered " + a);
        }
        long count = 0;
        double sum = 0;
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        Matcher m = SAMPLE.matcher(a.body());
        while (m.find()) {
            String suffix = m.group(1);
            String labels = m.group(2) == null ? "" : m.group(2);
            double value = Double.parseDouble(m.group(3));
            if ("_count".equals(suffix)) {
                count += (long) value;
            } else if ("_sum".equals(suffix)) {
                sum += value;
            } else if (labels.contains("quantile=\"0.5\"")) {
                p50 = value;
            } else if (labels.contains("quantile=\"0.99\"")) {
                p99 = value;
            }
        }
        return new LiveTailDelay(count, sum, p50, p99);
    }

    /** The blocks streamed and their mean delay since {@code before}, with this scrape's quantiles, in ms. */
    Map<String, Object> since(LiveTailDelay before) {
        long n = count - before.count;
        return Json.object("blocks", n, "meanMs", n == 0 ? Double.NaN : (sumSeconds - before.sumSeconds) / n * 1e3,
                "p50Ms", p50Seconds * 1e3, "p99Ms", p99Seconds * 1e3);
    }
}
