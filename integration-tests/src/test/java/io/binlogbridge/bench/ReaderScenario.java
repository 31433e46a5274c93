package io.binlogbridge.bench;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.reader.StartPosition;
import io.binlogbridge.reader.TopicReader;
import io.binlogbridge.reader.TopicReaderConfig;
import io.binlogbridge.reader.Transaction;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Java topic reader ({@code reader} module) over the MySQL backlog the relay wrote, decoded and raw-only, side by
 * side with mysql-binlog-connector-java's BinaryLogClient (the client Debezium uses) reading the same binlog from the
 * source: what a Java CDC consumer gets from the topic against what it gets from MySQL.
 */
final class ReaderScenario {
    private ReaderScenario() {}

    record Read(String reader, long bytes, long transactions, long events, double seconds, double cpuSeconds) {
        double mbPerSecond() {
            return bytes / 1e6 / seconds;
        }

        double transactionsPerSecond() {
            return transactions / seconds;
        }

        Map<String, Object> toJson() {
            return Json.object("reader", reader, "bytes", bytes, "transactions", transactions, "events", events,
                    "seconds", seconds, "mbPerSecond", mbPerSecond(), "transactionsPerSecond", transactionsPerSecond(),
                    "cpuSeconds", cpuSeconds);
        }
    }

    static ScenarioResult run(MySqlServer source, String bootstrap, String topic, Coordinates end) throws Exception {
        String firstFile = source.queryRows("SHOW BINARY LOGS").get(0).get(0);
        Read baseline = binaryLogClient(source, firstFile, end);
        Read decoded = topicReader(bootstrap, topic, end, true);
        Read raw = topicReader(bootstrap, topic, end, false);
        MarkdownTable table = new MarkdownTable(String.format("Reader: the MySQL backlog from its first byte (%s:4 .. %s, %.0f MB)",
                firstFile, end, baseline.bytes() / 1e6), "reader", "time (s)", "MB/s", "transactions/s", "events",
                "CPU-s (harness JVM)", "MB/s vs BinaryLogClient");
        for (Read r : List.of(baseline, decoded, raw)) {
            table.row(r.reader(), r.seconds(), r.mbPerSecond(), r.transactionsPerSecond(), r.events(), r.cpuSeconds(),
                    r == baseline ? "1" : MarkdownTable.ratio(r.mbPerSecond() / baseline.mbPerSecond()));
        }
        table.note("BinaryLogClient counts every event the source sends (its whole files); the reader counts transactions' "
                + "events. mysqld's CPU is not counted, nor the broker's. Both decoders are mysql-binlog-connector-java's "
                + "EventDeserializer with its defaults.");
        System.out.printf("[bench] reader: BinaryLogClient %.0f MB/s, TopicReader decoded %.0f MB/s, raw %.0f MB/s%n",
                baseline.mbPerSecond(), decoded.mbPerSecond(), raw.mbPerSecond());
        Map<String, Object> figures = Json.object("baseline", baseline.toJson(), "decoded", decoded.toJson(), "raw", raw.toJson(),
                "ratioMbPerSecondDecodedToBaseline", decoded.mbPerSecond() / baseline.mbPerSecond(),
                "ratioMbPerSecondRawToBaseline", raw.mbPerSecond() / baseline.mbPerSecond());
        return ScenarioResult.of("reader", figures, List.of(table), List.of());
    }

    private static Read binaryLogClient(MySqlServer source, String firstFile, Coordinates end) throws Exception {
        BinaryLogClient client = new BinaryLogClient("127.0.0.1", source.port(), MeasuredRelay.SOURCE_USER, MeasuredRelay.SOURCE_PASSWORD);
        client.setServerId(9_001);
        client.setBinlogFilename(firstFile);
        client.setBinlogPosition(4);
        client.setKeepAlive(false);
        AtomicLong bytes = new AtomicLong();
        AtomicLong events = new AtomicLong();
        AtomicLong transactions = new AtomicLong();
        AtomicReference<String> file = new AtomicReference<>(firstFile);
        CountDownLatch reached = new CountDownLatch(1);
        client.registerEventListener(event -> {
            EventHeaderV4 header = event.getHeader();
            if (header.getEventType() == EventType.ROTATE) {
                file.set(((RotateEventData) event.getData()).getBinlogFilename());
                return;
            }
            bytes.addAndGet(header.getEventLength());
            events.incrementAndGet();
            if (header.getEventType() == EventType.XID) {
                transactions.incrementAndGet();
            }
            if (header.getNextPosition() > 0 && end.reachedBy(file.get(), header.getNextPosition())) {
                reached.countDown();
            }
        });
        double cpu = processCpuSeconds();
        long began = System.nanoTime();
        client.connect(30_000);
        try {
            if (!reached.await(30, TimeUnit.MINUTES)) {
                throw new IllegalStateException("BinaryLogClient did not reach " + end + " (at " + file.get() + ")");
            }
        } finally {
            client.disconnect();
        }
        return new Read("BinaryLogClient from the source", bytes.get(), transactions.get(), events.get(),
                (System.nanoTime() - began) / 1e9, processCpuSeconds() - cpu);
    }

    private static Read topicReader(String bootstrap, String topic, Coordinates end, boolean decode) {
        double cpu = processCpuSeconds();
        long began = System.nanoTime();
        long bytes = 0;
        long transactions = 0;
        long events = 0;
        try (TopicReader reader = new TopicReader(TopicReaderConfig.builder().bootstrapServers(bootstrap).topic(topic)
                .start(StartPosition.beginning()).decodeEvents(decode).build())) {
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            boolean done = false;
            while (!done) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the reader did not reach " + end + " in 30 min");
                }
                for (Transaction t : reader.poll(Duration.ofSeconds(1))) {
                    bytes += t.size();
                    events += t.events().size();
                    transactions++;
                    done |= end.reachedBy(t.sourceFile(), t.endPosition());
                }
            }
        }
        return new Read(decode ? "TopicReader, decoded" : "TopicReader, raw bytes only", bytes, transactions, events,
                (System.nanoTime() - began) / 1e9, processCpuSeconds() - cpu);
    }

    private static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }
}
