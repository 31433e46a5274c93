package io.binlogbridge.replayer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.replayer.query.BinlogEventsSource;
import io.binlogbridge.replayer.purge.Purger;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.server.access.Grants;
import io.binlogbridge.server.access.StoredSecret;
import io.binlogbridge.server.access.UserAccount;
import io.binlogbridge.server.access.UserAccounts;
import io.binlogbridge.server.sql.BinaryLog;
import io.binlogbridge.server.sql.BinlogPosition;
import io.binlogbridge.server.sql.QueryBackend;
import io.binlogbridge.server.sql.ServerIdentity;
import io.binlogbridge.server.sql.StaticLogState;
import io.binlogbridge.server.tls.TransportSecurity;
import io.binlogbridge.server.wire.PacketFrameDecoder;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A replayer of two clusters: how a connection's login name, USE and grants choose the cluster its queries and dumps read. */
class ClusterRoutingTest {
    private static final String PASSWORD = "Secret-1";
    private final List<String> dumped = new ArrayList<>();
    private final UserAccounts accounts = new UserAccounts(List.of(
            new UserAccount("repl", new StoredSecret.Plaintext(PASSWORD), Grants.DEFAULT),
            new UserAccount("onlyb", new StoredSecret.Plaintext(PASSWORD), Grants.parse("replication@b"))));
    private final ReplayerServer server = new ReplayerServer(new ReplayerServer.Settings("127.0.0.1", 0, () -> accounts,
            logState(1), UnavailableDumpRequestHandler.INSTANCE, PacketFrameDecoder.DEFAULT_MAX_PAYLOAD, 0, TransportSecurity.PLAIN,
            ReplayerServer.Settings.DEFAULT_MAX_CONNECTIONS), List.of(cluster("a", 1), cluster("b", 2)), QueryBackend.NONE);

    private ServedCluster cluster(String name, long serverId) {
        BinlogEventsSource noEvents = request -> null;
        Purger noPurge = request -> null;
        return new ServedCluster(name, logState(serverId), (ctx, session, request) -> dumped.add(name), noEvents, noPurge);
    }

    private static StaticLogState logState(long serverId) {
        ServerIdentity id = new ServerIdentity(Flavor.MYSQL, "8.0.40", serverId, "3e11fa47-71ca-11e1-9e33-c80aa942956" + serverId,
                "CRC32", true, 0, "test");
        return new StaticLogState(id, List.of(new BinaryLog("binlog.00000" + serverId, 500, false)),
                new BinlogPosition("binlog.00000" + serverId, 500), "", "");
    }

    @AfterEach
    void close() {
        server.close();
    }

    /** Logs in as {@code user}; returns the channel and the server's last answer to the login. */
    private EmbeddedChannel login(String user, List<WireClient.Packet> answer) {
        return WireClient.login(server, user, PASSWORD, true, answer);
    }

    private EmbeddedChannel loggedIn(String user) {
        List<WireClient.Packet> answer = new ArrayList<>();
        EmbeddedChannel ch = login(user, answer);
        assertEquals(0x00, answer.get(0).payload()[0] & 0xFF, "OK after login as " + user);
        return ch;
    }

    private static WireClient.Packet send(EmbeddedChannel ch, byte[] command) {
        ch.writeInbound(WireClient.frame(0, command));
        List<WireClient.Packet> packets = WireClient.read(ch);
        return packets.isEmpty() ? null : packets.get(packets.size() - 1);
    }

    /** Every packet of the answer to {@code sql}, as text. */
    private static String resultText(EmbeddedChannel ch, String sql) {
        ch.writeInbound(WireClient.frame(0, WireClient.query(sql)));
        StringBuilder text = new StringBuilder();
        for (WireClient.Packet p : WireClient.read(ch)) {
            text.append(new String(p.payload(), StandardCharsets.ISO_8859_1));
        }
        return text.toString();
    }

    private static byte[] dump() {
        byte[] file = "binlog.000001".getBytes(StandardCharsets.US_ASCII);
        byte[] rest = new byte[4 + 2 + 4 + file.length];
        rest[0] = 4;
        rest[6] = 9;
        System.arraycopy(file, 0, rest, 10, file.length);
        return WireClient.command(MySqlConstants.COM_BINLOG_DUMP, rest);
    }

    private static int errorCode(WireClient.Packet p) {
        assertEquals(0xFF, p.payload()[0] & 0xFF, "an ERR packet");
        return (p.payload()[1] & 0xFF) | (p.payload()[2] & 0xFF) << 8;
    }

    private static String message(WireClient.Packet p) {
        return new String(p.payload(), 9, p.payload().length - 9, StandardCharsets.UTF_8);
    }

    @Test
    void theLoginNameChoosesTheCluster() {
        EmbeddedChannel ch = loggedIn("repl|b");
        send(ch, dump());
        assertEquals(List.of("b"), dumped);
    }

    @Test
    void aUserGrantedOneClusterGetsIt() {
        EmbeddedChannel ch = loggedIn("onlyb");
        send(ch, dump());
        assertEquals(List.of("b"), dumped);
    }

    @Test
    void aDumpWithoutAChoiceIsRefusedNamingTheUserClusterForm() {
        EmbeddedChannel ch = loggedIn("repl");
        WireClient.Packet err = send(ch, dump());
        assertEquals(MySqlConstants.ER_NO_DB_ERROR, errorCode(err));
        assertTrue(message(err).contains("'USER|CLUSTER'") && message(err).contains("a, b"), message(err));
        assertEquals(List.of(), dumped);
    }

    @Test
    void aClusterWithoutReplicationOnItIs1227() {
        EmbeddedChannel ch = loggedIn("onlyb|a");
        WireClient.Packet err = send(ch, dump());
        assertEquals(MySqlConstants.ER_SPECIFIC_ACCESS_DENIED_ERROR, errorCode(err));
        assertEquals("Access denied; you need (at least one of) the REPLICATION SLAVE privilege(s) for this operation", message(err));
        assertEquals(List.of(), dumped);
    }

    @Test
    void anUnknownClusterAtLoginIs1049() {
        List<WireClient.Packet> answer = new ArrayList<>();
        login("repl|c", answer);
        assertEquals(MySqlConstants.ER_BAD_DB_ERROR, errorCode(answer.get(0)));
        assertEquals("Unknown database 'c'", message(answer.get(0)));
    }

    @Test
    void aWrongPasswordStays1045WhateverTheCluster() {
        List<WireClient.Packet> answer = new ArrayList<>();
        WireClient.login(server, "repl|c", "wrong", true, answer);
        assertEquals(MySqlConstants.ER_ACCESS_DENIED_ERROR, errorCode(answer.get(0)));
    }

    @Test
    void useSwitchesQueriesAndDumps() {
        EmbeddedChannel ch = loggedIn("repl|a");
        assertTrue(resultText(ch, "SHOW MASTER STATUS").contains("binlog.000001"), "cluster a's log");
        assertEquals(0x00, send(ch, WireClient.query("USE b")).payload()[0] & 0xFF);
        assertTrue(resultText(ch, "SHOW MASTER STATUS").contains("binlog.000002"), "cluster b's log after USE b");
        WireClient.Packet unknown = send(ch, WireClient.query("USE c"));
        assertEquals(MySqlConstants.ER_BAD_DB_ERROR, errorCode(unknown));
        assertEquals(0x00, send(ch, WireClient.command(MySqlConstants.COM_INIT_DB, "a".getBytes(StandardCharsets.UTF_8))).payload()[0] & 0xFF);
        assertEquals(MySqlConstants.ER_BAD_DB_ERROR,
                errorCode(send(ch, WireClient.command(MySqlConstants.COM_INIT_DB, "c".getBytes(StandardCharsets.UTF_8)))));
        send(ch, dump());
        assertEquals(List.of("a"), dumped);
    }
}
