package io.binlogbridge.connect;

import io.binlogbridge.core.record.OutgoingRecord;
import io.binlogbridge.core.relay.SourceLag;
import io.binlogbridge.core.relay.SourceReplication;
import io.binlogbridge.schemas.BinlogRecordCodec;
import io.binlogbridge.schemas.RecordKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.PluginMetrics;

/**
 * The relay's figures as Connect task metrics (KIP-877 plugin metrics), so that they appear wherever the worker's
 * metrics go (JMX, {@code metric.reporters}): the same as relay-server's {@code binlogbridge_relay_*} Prometheus
 * metrics, counted when Kafka holds a record ({@code commitRecord}), never when it is only handed out.
 */
final class TaskMetrics implements AutoCloseable {
    static final String BYTES = "relayed-bytes-total";
    static final String TRANSACTIONS = "relayed-transactions-total";
    static final String SECONDS_BEHIND = "seconds-behind-source";
    static final String STREAMING = "source-streaming";

    private final PluginMetrics metrics;
    private final List<MetricName> names = new ArrayList<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong transactions = new AtomicLong();
    private final BinlogRecordCodec codec = new BinlogRecordCodec();
    private volatile OutgoingRecord lastCommitted;
    private volatile OutgoingRecord lastCommittedEvents;

    /** @param pass the task's current pass over the source, null between passes */
    TaskMetrics(PluginMetrics metrics, Supplier<SourceReplication> pass) {
        this.metrics = metrics;
        add(BYTES, "Binlog event bytes Kafka holds that this task relayed (binlogbridge_relay_bytes_total).", (c, now) -> bytes.get());
        add(TRANSACTIONS, "MySQL transactions Kafka holds that this task relayed.", (c, now) -> transactions.get());
        add(SECONDS_BEHIND, "How far behind the source the topic is, as MySQL's Seconds_Behind_Source; NaN when not streaming.",
                (c, now) -> SourceLag.secondsBehind(pass.get(), lastCommitted, lastCommittedEvents, this::eventTimestamp, now));
        add(STREAMING, "1 while the task streams from its source, 0 while it connects or reconnects.", (c, now) -> {
            SourceReplication p = pass.get();
            return p != null && p.streaming() ? 1 : 0;
        });
    }

    private void add(String name, String description, Measurable value) {
        MetricName metricName = metrics.metricName(name, description, new LinkedHashMap<>());
        metrics.addMetric(metricName, value);
        names.add(metricName);
    }

    /** Kafka holds this record. */
    void committed(OutgoingRecord record) {
        bytes.addAndGet(record.eventBytes());
        if (record.kind() == RecordKind.TRANSACTION && record.commitPoint()) {
            transactions.incrementAndGet();
        }
        lastCommitted = record;
        if (record.kind() != RecordKind.TERM_START) {
            lastCommittedEvents = record;
        }
    }

    private long eventTimestamp(OutgoingRecord record) {
        return codec.decodeMetadata(record.value()).getEventTimestamp();
    }

    @Override
    public void close() {
        names.forEach(metrics::removeMetric);
    }
}
