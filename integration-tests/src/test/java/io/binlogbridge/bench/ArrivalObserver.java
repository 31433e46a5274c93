package io.binlogbridge.bench;

import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.core.binlog.EventHeader;
import io.binlogbridge.core.gtid.MySqlGtid;
import io.binlogbridge.core.io.GrowableBuffer;
import io.binlogbridge.core.protocol.MySqlClient;
import io.binlogbridge.core.replica.BinlogEventReader;
import io.binlogbridge.it.fanout.DumpDigest;
import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.BinlogRecordCodec;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Notes, on a thread of its own, the {@link System#nanoTime()} at which each MySQL transaction reaches a reader,
 * keyed by GTID: a dump client (when the transaction's XID event arrives) or a read_committed consumer of the topic
 * (when the record that ends the transaction becomes visible).
 */
abstract class ArrivalObserver implements AutoCloseable {
    private final String name;
    private final Map<MySqlGtid, Long> arrivals = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closing;
    private volatile Exception failure;

    private ArrivalObserver(String name) {
        this.name = name;
        this.thread = new Thread(this::observe, "arrivals-" + name);
        thread.setDaemon(true);
    }

    /** A blocking dump from {@code from}, as a replica of that server would read it. */
    static ArrivalObserver dump(String name, int port, String user, String password, int serverId, Coordinates from)
            throws IOException {
        MySqlClient client = DumpDigest.connect(port, user, password);
        client.sendBinlogDump(from.file(), from.position(), serverId, 0);
        return new DumpObserver(name, client).begin();
    }

    /** A consumer of {@code topic} from its end, with the fetch settings of the replayer's dumps. */
    static ArrivalObserver topic(String name, Map<String, Object> clientProperties, String topic) {
        return new TopicObserver(name, clientProperties, topic).begin();
    }

    String name() {
        return name;
    }

    /** GTID → nanoTime of arrival, so far. */
    Map<MySqlGtid, Long> arrivals() {
        return arrivals;
    }

    /** Why the observer stopped before it was closed; null if it did not. */
    Exception failure() {
        return failure;
    }

    final ArrivalObserver begin() {
        thread.start();
        return this;
    }

    private void observe() {
        try {
            readUntilClosed();
        } catch (Exception e) {
            if (!closing) {
                failure = e;
                System.out.println("[bench] " + name + " observer stopped: " + e);
            }
        }
    }

    /** Reads and calls {@link #arrived} until {@link #closing()}; an exception after close is expected. */
    protected abstract void readUntilClosed() throws Exception;

    /** Makes a blocked {@link #readUntilClosed()} return or throw. */
    protected abstract void interrupt() throws IOException;

    protected final void arrived(MySqlGtid gtid, long nanoTime) {
        arrivals.putIfAbsent(gtid, nanoTime);
    }

    protected final boolean closing() {
        return closing;
    }

    @Override
    public void close() throws Exception {
        closing = true;
        interrupt();
        thread.join(10_000);
    }

    private static final class DumpObserver extends ArrivalObserver {
        private final MySqlClient client;

        DumpObserver(String name, MySqlClient client) {
            super(name);
            this.client = client;
        }

        @Override
        protected void readUntilClosed() throws IOException {
            BinlogEventReader reader = new BinlogEventReader(client.channel(), false);
            GrowableBuffer buffer = new GrowableBuffer(64 << 10);
            MySqlGtid gtid = null;
            while (!closing()) {
                buffer.clear();
                reader.readEvent(buffer);
                long now = System.nanoTime();
                byte[] event = buffer.array();
                int type = EventHeader.type(event, 0);
                if (type == BinlogConstants.GTID_LOG_EVENT) {
                    gtid = MySqlGtid.fromGtidEvent(event, 0);
                } else if (type == BinlogConstants.XID_EVENT && gtid != null) {
                    arrived(gtid, now);
                    gtid = null;
                }
            }
        }

        @Override
        protected void interrupt() throws IOException {
            client.close();
        }
    }

    private static final class TopicObserver extends ArrivalObserver {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final BinlogRecordCodec codec = new BinlogRecordCodec();

        TopicObserver(String name, Map<String, Object> clientProperties, String topic) {
            super(name);
            Properties p = new Properties();
            p.putAll(clientProperties);
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
            p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(2 << 20));
            p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(2 << 20));
            consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            // Resolves the end now, before the load starts, rather than lazily at the first poll.
            consumer.position(partition);
        }

        @Override
        protected void readUntilClosed() {
            try (consumer) {
                while (!closing()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        long now = System.nanoTime();
                        BinlogRecord v = codec.decodeValue(r.value());
                        if (v.getGtid() != null && v.getLastChunk()) {
                            arrived(MySqlGtid.parse(v.getGtid().toString()), now);
                        }
                    }
                }
            }
        }

        @Override
        protected void interrupt() {
            consumer.wakeup();
        }
    }
}
