package io.binlogbridge.replayer.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.binlogbridge.core.http.Readiness;
import io.binlogbridge.replayer.log.LiveTail;
import io.binlogbridge.replayer.log.LogConsumers;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.replayer.log.RecordBlockCache;
import io.binlogbridge.replayer.log.TestLogs;
import io.binlogbridge.replayer.server.ReplayerServer;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.server.wire.PacketFrameDecoder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** With several clusters, each cluster's meters are a series tagged with its name; with one, untagged as before. */
class ClusterMetersTest {
    private static LogIndex index(int transactions) {
        TestLogs logs = new TestLogs(Flavor.MYSQL).header("binlog.000001", 200, "");
        for (int i = 1; i <= transactions; i++) {
            logs.transaction("binlog.000001", 200 + (i - 1) * 300, 200 + i * 300, TestLogs.UUID + ":" + i);
        }
        return logs.index();
    }

    private static RecordBlockCache blocks(LogIndex index) {
        Properties kafka = new Properties();
        kafka.put("bootstrap.servers", "127.0.0.1:1");
        return new RecordBlockCache(new LogConsumers(kafka, "t"), index, 4 << 20, 1 << 20, 1, 1, PooledByteBufAllocator.DEFAULT);
    }

    @Test
    void severalClustersAreTagged() {
        LogIndex a = index(1);
        LogIndex b = index(3);
        RecordBlockCache blocksA = blocks(a);
        RecordBlockCache blocksB = blocks(b);
        ReplayerServer server = new ReplayerServer(new ReplayerServer.Settings("127.0.0.1", 0, Map.of(), a,
                (ctx, session, request) -> { }, PacketFrameDecoder.DEFAULT_MAX_PAYLOAD, 1));
        try {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            Readiness ready = () -> null;
            LiveTail tailA = new LiveTail(1 << 20, 16, PooledByteBufAllocator.DEFAULT);
            tailA.follow();
            ReplayerMetrics.bind(registry, server, List.of(new ReplayerMetrics.ClusterMeters("a", a, blocksA, tailA),
                    new ReplayerMetrics.ClusterMeters("b", b, blocksB)), ready);
            assertEquals(1.0, registry.get("binlogbridge.replayer.live.tail.followers").tag("cluster", "a").gauge().value());
            assertEquals(0.0, registry.get("binlogbridge.replayer.live.tail.blocks").tag("cluster", "a").functionCounter().count());
            assertEquals(0.0, registry.get("binlogbridge.replayer.live.tail.handoffs").tag("cluster", "a").functionCounter().count());
            assertEquals(0, registry.get("binlogbridge.replayer.live.tail.delay").tag("cluster", "a").timer().count());
            assertEquals(a.nextOffset(), registry.get("binlogbridge.replayer.indexed.records").tag("cluster", "a").gauge().value());
            assertEquals(b.nextOffset(), registry.get("binlogbridge.replayer.indexed.records").tag("cluster", "b").gauge().value());
            assertEquals(0.0, registry.get("binlogbridge.replayer.dumps").tag("cluster", "b").gauge().value());
            assertEquals(1, registry.get("binlogbridge.replayer.connections").gauges().size(), "server meters stay untagged");

            SimpleMeterRegistry single = new SimpleMeterRegistry();
            ReplayerMetrics.bind(single, server, blocksA, a, ready);
            assertNull(single.get("binlogbridge.replayer.indexed.records").gauge().getId().getTag("cluster"));
        } finally {
            server.close();
            blocksA.close();
            blocksB.close();
        }
    }
}
