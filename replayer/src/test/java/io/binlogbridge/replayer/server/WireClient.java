package io.binlogbridge.replayer.server;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.core.protocol.auth.Scrambles;
import io.binlogbridge.server.sql.BinaryLog;
import io.binlogbridge.server.sql.BinlogPosition;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.server.sql.ServerIdentity;
import io.binlogbridge.server.sql.StaticLogState;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The client side of the protocol, by hand, for EmbeddedChannel tests. */
final class WireClient {
    record Packet(int seq, byte[] payload) {
        int header() {
            return payload.length == 0 ? -1 : payload[0] & 0xFF;
        }

        int errorCode() {
            return (payload[1] & 0xFF) | (payload[2] & 0xFF) << 8;
        }

        String errorMessage() {
            return new String(payload, 9, payload.length - 9, StandardCharsets.UTF_8);
        }

        String sqlState() {
            return new String(payload, 4, 5, StandardCharsets.US_ASCII);
        }
    }

    static final String USER = "repl";
    static final String PASSWORD = "pw";

    static StaticLogState logState(Flavor flavor) {
        ServerIdentity id = new ServerIdentity(flavor, flavor == Flavor.MARIADB ? "10.11.6-MariaDB-log" : "8.0.40", 42,
                "3e11fa47-71ca-11e1-9e33-c80aa9429562", "CRC32", true, 0, "test");
        return new StaticLogState(id, List.of(new BinaryLog("binlog.000001", 500, false)),
                new BinlogPosition("binlog.000001", 500), "", "");
    }

    static ReplayerServer server(DumpRequestHandler dumps) {
        return new ReplayerServer(ReplayerServer.Settings.of(0, Map.of(USER, PASSWORD), logState(Flavor.MYSQL), dumps));
    }

    /** A channel with the server's full pipeline; the greeting is already written. */
    static EmbeddedChannel connect(ReplayerServer server) {
        EmbeddedChannel ch = new EmbeddedChannel(false, false);
        server.initConnection(ch);
        try {
            ch.register();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return ch;
    }

    static ByteBuf frame(int seq, byte[] payload) {
        ByteBuf b = Unpooled.buffer();
        b.writeMediumLE(payload.length).writeByte(seq).writeBytes(payload);
        return b;
    }

    static List<Packet> read(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) o;
            all.writeBytes(b);
            b.release();
        }
        List<Packet> out = new ArrayList<>();
        while (all.readableBytes() >= 4) {
            int len = all.readUnsignedMediumLE();
            int seq = all.readUnsignedByte();
            byte[] p = new byte[len];
            all.readBytes(p);
            out.add(new Packet(seq, p));
        }
        return out;
    }

    /** The 20-byte seed of a HandshakeV10 payload. */
    static byte[] seedOf(byte[] greeting) {
        int i = 1;
        while (greeting[i] != 0) {
            i++;
        }
        i += 1 + 4;
        byte[] seed = new byte[20];
        System.arraycopy(greeting, i, seed, 0, 8);
        i += 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10;
        System.arraycopy(greeting, i, seed, 8, 12);
        return seed;
    }

    static String pluginOf(byte[] greeting) {
        int end = greeting.length - 1;
        int start = end - 1;
        while (greeting[start - 1] != 0) {
            start--;
        }
        return new String(greeting, start, end - start, StandardCharsets.US_ASCII);
    }

    static int clientCapabilities(boolean deprecateEof) {
        int caps = MySqlConstants.CLIENT_PROTOCOL_41 | MySqlConstants.CLIENT_SECURE_CONNECTION | MySqlConstants.CLIENT_PLUGIN_AUTH
                | MySqlConstants.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA | MySqlConstants.CLIENT_LONG_PASSWORD
                | MySqlConstants.CLIENT_TRANSACTIONS;
        return deprecateEof ? caps | MySqlConstants.CLIENT_DEPRECATE_EOF : caps;
    }

    /**
     * Connects and answers the greeting as {@code user} with a caching_sha2_password scramble of {@code password}; adds
     * the last packet of the server's answer to {@code last} and returns the channel.
     */
    static EmbeddedChannel login(ReplayerServer server, String user, String password, boolean deprecateEof, List<Packet> last) {
        EmbeddedChannel ch = connect(server);
        byte[] seed = seedOf(read(ch).get(0).payload());
        ch.writeInbound(frame(1, handshakeResponse(clientCapabilities(deprecateEof), user,
                Scrambles.cachingSha2Password(password, seed), MySqlConstants.CACHING_SHA2_PASSWORD)));
        List<Packet> answer = read(ch);
        last.add(answer.get(answer.size() - 1));
        return ch;
    }

    static byte[] handshakeResponse(int caps, String user, byte[] auth, String plugin) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuf b = Unpooled.buffer();
        b.writeIntLE(caps).writeIntLE(16 * 1024 * 1024).writeByte(45).writeZero(23);
        b.writeBytes(user.getBytes(StandardCharsets.UTF_8)).writeByte(0);
        b.writeByte(auth.length).writeBytes(auth);
        if (plugin != null) {
            b.writeBytes(plugin.getBytes(StandardCharsets.US_ASCII)).writeByte(0);
        }
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        out.writeBytes(bytes);
        return out.toByteArray();
    }

    static byte[] command(int command, byte[] rest) {
        byte[] p = Arrays.copyOf(new byte[] {(byte) command}, 1 + rest.length);
        System.arraycopy(rest, 0, p, 1, rest.length);
        return p;
    }

    static byte[] query(String sql) {
        return command(MySqlConstants.COM_QUERY, sql.getBytes(StandardCharsets.UTF_8));
    }

    private WireClient() {}
}
