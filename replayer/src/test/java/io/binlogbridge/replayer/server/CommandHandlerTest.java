package io.binlogbridge.replayer.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.core.protocol.auth.Scrambles;
import io.binlogbridge.replayer.session.RegisteredReplica;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandHandlerTest {
    final List<DumpRequest> dumps = new ArrayList<>();
    final ReplayerServer server = WireClient.server((ctx, session, request) -> {
        dumps.add(request);
        UnavailableDumpRequestHandler.INSTANCE.startDump(ctx, session, request);
    });

    EmbeddedChannel authenticated(boolean deprecateEof) {
        EmbeddedChannel ch = WireClient.connect(server);
        byte[] seed = WireClient.seedOf(WireClient.read(ch).get(0).payload());
        ch.writeInbound(WireClient.frame(1, WireClient.handshakeResponse(WireClient.clientCapabilities(deprecateEof), WireClient.USER,
                Scrambles.cachingSha2Password(WireClient.PASSWORD, seed), MySqlConstants.CACHING_SHA2_PASSWORD)));
        assertEquals(2, WireClient.read(ch).size());
        return ch;
    }

    List<WireClient.Packet> send(EmbeddedChannel ch, byte[] payload) {
        ch.writeInbound(WireClient.frame(0, payload));
        return WireClient.read(ch);
    }

    @Test
    void resultSetWithClassicEof() {
        EmbeddedChannel ch = authenticated(false);
        List<WireClient.Packet> out = send(ch, WireClient.query("SELECT @@server_id, @@version_comment"));
        // count, 2 column defs, EOF, row, EOF
        assertEquals(6, out.size());
        assertEquals(2, out.get(0).payload()[0]);
        assertEquals(0xFE, out.get(3).header());
        assertEquals(5, out.get(3).payload().length);
        assertEquals(0xFE, out.get(5).header());
        assertEquals(5, out.get(5).payload().length);
        for (int i = 0; i < out.size(); i++) {
            assertEquals(i + 1, out.get(i).seq());
        }
        byte[] row = out.get(4).payload();
        assertEquals(2, row[0]);
        assertEquals("42", new String(row, 1, 2, StandardCharsets.US_ASCII));
        byte[] col = out.get(1).payload();
        assertEquals("def", new String(col, 1, 3, StandardCharsets.US_ASCII));
    }

    @Test
    void resultSetWithDeprecateEof() {
        EmbeddedChannel ch = authenticated(true);
        List<WireClient.Packet> out = send(ch, WireClient.query("SELECT 1"));
        // count, column def, row, OK-as-EOF
        assertEquals(4, out.size());
        assertEquals(0xFE, out.get(3).header());
        assertTrue(out.get(3).payload().length >= 7);
        assertEquals(1, out.get(2).header()); // the row: lenenc length 1, then "1"
    }

    @Test
    void pingQuitInitDbAndUnknownCommand() {
        EmbeddedChannel ch = authenticated(false);
        assertEquals(0x00, send(ch, new byte[] {MySqlConstants.COM_PING}).get(0).header());
        assertEquals(0x00, send(ch, WireClient.command(MySqlConstants.COM_INIT_DB, "db".getBytes(StandardCharsets.UTF_8))).get(0).header());
        WireClient.Packet err = send(ch, new byte[] {0x7A}).get(0);
        assertEquals(MySqlConstants.ER_UNKNOWN_COM_ERROR, err.errorCode());
        assertTrue(ch.isOpen());
        send(ch, new byte[] {MySqlConstants.COM_QUIT});
        assertFalse(ch.isOpen());
    }

    @Test
    void malformedPacketsGetErrAndConnectionStays() {
        EmbeddedChannel ch = authenticated(false);
        assertEquals(MySqlConstants.ER_MALFORMED_PACKET, send(ch, new byte[0]).get(0).errorCode());
        assertEquals(MySqlConstants.ER_MALFORMED_PACKET,
                send(ch, new byte[] {MySqlConstants.COM_REGISTER_SLAVE, 1, 0}).get(0).errorCode());
        assertEquals(MySqlConstants.ER_MALFORMED_PACKET,
                send(ch, new byte[] {MySqlConstants.COM_BINLOG_DUMP_GTID, 0, 0, 1, 0, 0, 0, (byte) 0xFF, 0, 0, 0}).get(0).errorCode());
        assertEquals(0x00, send(ch, new byte[] {MySqlConstants.COM_PING}).get(0).header());
        assertTrue(ch.isOpen());
    }

    @Test
    void registerSlaveIsShownBySlaveHosts() {
        EmbeddedChannel ch = authenticated(false);
        send(ch, WireClient.query("SET @slave_uuid= 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee'"));
        ByteBuf p = Unpooled.buffer();
        p.writeByte(MySqlConstants.COM_REGISTER_SLAVE).writeIntLE(77);
        p.writeByte(5).writeBytes("host1".getBytes(StandardCharsets.US_ASCII));
        p.writeByte(1).writeByte('u').writeByte(0);
        p.writeShortLE(3307).writeIntLE(0).writeIntLE(0);
        byte[] bytes = new byte[p.readableBytes()];
        p.readBytes(bytes);
        assertEquals(0x00, send(ch, bytes).get(0).header());
        List<RegisteredReplica> replicas = server.replicas().replicas();
        assertEquals(List.of(new RegisteredReplica(77, "host1", 3307, 0, 42, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")), replicas);
        List<WireClient.Packet> rs = send(ch, WireClient.query("SHOW SLAVE HOSTS"));
        assertEquals(5 + 1 + 1 + 1 + 1, rs.size()); // count, 5 columns, EOF, 1 row, EOF
        ch.close();
        assertTrue(server.replicas().replicas().isEmpty());
    }

    @Test
    void binlogDumpIsParsedWithSessionSettings() {
        EmbeddedChannel ch = authenticated(false);
        send(ch, WireClient.query("SET @master_heartbeat_period= 1000000000"));
        send(ch, WireClient.query("SET @master_binlog_checksum= @@global.binlog_checksum"));
        send(ch, WireClient.query("SET @mariadb_slave_capability=4, @slave_connect_state='0-1-100'"));
        ByteBuf p = Unpooled.buffer();
        p.writeByte(MySqlConstants.COM_BINLOG_DUMP).writeIntLE(4).writeShortLE(0).writeIntLE(99)
                .writeBytes("binlog.000001".getBytes(StandardCharsets.US_ASCII));
        byte[] bytes = new byte[p.readableBytes()];
        p.readBytes(bytes);
        WireClient.Packet err = send(ch, bytes).get(0);
        assertEquals(MySqlConstants.ER_MASTER_FATAL_ERROR_READING_BINLOG, err.errorCode());
        assertEquals("binlog dump is not available", err.errorMessage());
        DumpRequest req = dumps.get(0);
        assertEquals("binlog.000001", req.binlogFile());
        assertEquals(4, req.position());
        assertEquals(99, req.serverId());
        assertEquals(1_000_000_000L, req.settings().heartbeatPeriodNanos());
        assertEquals("CRC32", req.settings().masterBinlogChecksum());
        assertEquals(4L, req.settings().mariaDbSlaveCapability());
        assertEquals("0-1-100", req.settings().slaveConnectState());
        assertTrue(req.settings().mariaDbClient());
    }

    @Test
    void binlogDumpGtidCarriesTheRawSet() {
        EmbeddedChannel ch = authenticated(false);
        byte[] set = {1, 0, 0, 0, 0, 0, 0, 0, 9, 9};
        ByteBuf p = Unpooled.buffer();
        p.writeByte(MySqlConstants.COM_BINLOG_DUMP_GTID).writeShortLE(MySqlConstants.BINLOG_THROUGH_GTID).writeIntLE(5)
                .writeIntLE(0).writeLongLE(4).writeIntLE(set.length).writeBytes(set);
        byte[] bytes = new byte[p.readableBytes()];
        p.readBytes(bytes);
        send(ch, bytes);
        DumpRequest req = dumps.get(0);
        assertTrue(req.gtid());
        assertEquals("", req.binlogFile());
        assertEquals(4, req.position());
        assertEquals(5, req.serverId());
        assertArrayEquals(set, req.gtidSet());
        assertEquals(null, req.settings().masterBinlogChecksum());
    }
}
