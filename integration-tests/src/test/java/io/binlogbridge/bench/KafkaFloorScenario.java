package io.binlogbridge.bench;

import io.binlogbridge.it.fixtures.ForkedKafkaBroker;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The floor under the relay's share of the live lag: Kafka alone, on the same broker, at the lag scenario's rate.
 * One transactional producer (the relay's settings) commits one small record per transaction; a read_committed
 * consumer (the replayer's fetch wait) notes when each becomes visible. No MySQL, no relay, no replayer.
 */
final class KafkaFloorScenario {
    private static final String TOPIC = "bench-kafka-floor";

    private KafkaFloorScenario() {}

    static ScenarioResult run(BenchSettings settings, ForkedKafkaBroker kafka) throws Exception {
        int n = settings.rate() * Math.min(settings.seconds(), 20);
        kafka.admin().createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
        long[] sent = new long[n];
        long[] committed = new long[n];
        long[] visible = new long[n];
        Thread reader = visibility(kafka, visible);
        Properties p = new Properties();
        p.putAll(kafka.clientProperties());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-kafka-floor");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "5");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            long period = 1_000_000_000L / settings.rate();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                LockSupport.parkNanos(t0 + i * period - System.nanoTime());
                sent[i] = System.nanoTime();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(TOPIC, 0, null, ByteBuffer.allocate(200).putInt(0, i).array()));
                producer.commitTransaction();
                committed[i] = System.nanoTime();
            }
        }
        reader.join(30_000);
        LagStats commit = LagStats.ofSamples("send → commitTransaction returned", lags(sent, committed), n);
        LagStats seen = LagStats.ofSamples("send → visible to read_committed consumer", lags(sent, visible), n);
        MarkdownTable table = new MarkdownTable("Kafka alone: one small record per transaction at " + settings.rate() + " tx/s",
                "interval", "transactions", "p50 (ms)", "p99 (ms)", "max (ms)");
        for (LagStats s : List.of(commit, seen)) {
            table.row(s.observer(), s.matched() + "/" + s.reference(), s.p50Ms(), s.p99Ms(), s.maxMs());
        }
        table.note("The same broker as the lag scenario; the floor under what relay + Kafka + replayer can add.");
        Map<String, Object> figures = Json.object("rate", settings.rate(), "transactions", n, "commit", commit.toJson(),
                "visible", seen.toJson());
        return ScenarioResult.of("kafkaFloor", figures, List.of(table), List.of());
    }

    private static double[] lags(long[] from, long[] to) {
        List<Double> lags = new ArrayList<>();
        for (int i = 0; i < from.length; i++) {
            if (from[i] != 0 && to[i] != 0) {
                lags.add((to[i] - from[i]) / 1e6);
            }
        }
        return lags.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static Thread visibility(ForkedKafkaBroker kafka, long[] visible) {
        Properties c = new Properties();
        c.putAll(kafka.clientProperties());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        consumer.position(tp);
        Thread t = new Thread(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(visible.length / 50 + 60).toNanos();
            int seen = 0;
            try (consumer) {
                while (seen < visible.length && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        visible[ByteBuffer.wrap(r.value()).getInt()] = System.nanoTime();
                        seen++;
                    }
                }
            }
        }, "kafka-floor-reader");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
