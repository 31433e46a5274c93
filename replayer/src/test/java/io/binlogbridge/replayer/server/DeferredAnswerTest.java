package io.binlogbridge.replayer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.core.protocol.auth.Scrambles;
import io.binlogbridge.schemas.Flavor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/**
 * A statement answered off the event loop (SHOW BINLOG EVENTS): nothing is written and no further command is read
 * until the answer is complete, then the answer goes out on the connection's event loop; the connection counts its
 * bytes for Bytes_sent.
 */
class DeferredAnswerTest {
    final CompletableFuture<List<List<String>>> rows = new CompletableFuture<>();
    final ReplayerServer server = new ReplayerServer(ReplayerServer.Settings.of(0, Map.of(WireClient.USER, WireClient.PASSWORD),
            WireClient.logState(Flavor.MYSQL), UnavailableDumpRequestHandler.INSTANCE), request -> rows);

    EmbeddedChannel authenticated() {
        EmbeddedChannel ch = WireClient.connect(server);
        byte[] seed = WireClient.seedOf(WireClient.read(ch).get(0).payload());
        ch.writeInbound(WireClient.frame(1, WireClient.handshakeResponse(WireClient.clientCapabilities(false), WireClient.USER,
                Scrambles.cachingSha2Password(WireClient.PASSWORD, seed), MySqlConstants.CACHING_SHA2_PASSWORD)));
        assertEquals(2, WireClient.read(ch).size());
        return ch;
    }

    @Test
    void theAnswerIsWrittenWhenCompleteAndReadingWaitsForIt() {
        EmbeddedChannel ch = authenticated();
        long bytesBefore = server.counters().bytesWritten();
        assertTrue(bytesBefore > 0, "the greeting and OK count as bytes sent");
        ch.writeInbound(WireClient.frame(0, WireClient.query("SHOW BINLOG EVENTS LIMIT 1")));
        assertTrue(WireClient.read(ch).isEmpty(), "nothing before the rows are read");
        assertFalse(ch.config().isAutoRead(), "no further command is read meanwhile");
        assertTrue(server.connections().sessions().get(0).statement().startsWith("SHOW BINLOG EVENTS"));

        rows.complete(List.of(List.of("binlog.000001", "4", "Format_desc", "42", "126", "Server ver: 8.0.40, Binlog ver: 4")));
        ch.runPendingTasks();
        List<WireClient.Packet> out = WireClient.read(ch);
        assertEquals(1 + 6 + 1 + 1 + 1, out.size()); // count, 6 columns, EOF, 1 row, EOF
        assertTrue(new String(out.get(8).payload(), StandardCharsets.UTF_8).contains("Server ver: 8.0.40, Binlog ver: 4"));
        assertTrue(ch.config().isAutoRead());
        assertEquals(null, server.connections().sessions().get(0).statement());
        assertTrue(server.counters().bytesWritten() > bytesBefore + 100);
        assertEquals(0x00, WireClient.read(send(ch, WireClient.command(MySqlConstants.COM_PING, new byte[0]))).get(0).header());
    }

    private static EmbeddedChannel send(EmbeddedChannel ch, byte[] payload) {
        ch.writeInbound(WireClient.frame(0, payload));
        return ch;
    }
}
