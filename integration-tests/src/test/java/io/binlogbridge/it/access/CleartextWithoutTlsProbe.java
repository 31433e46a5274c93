package io.binlogbridge.it.access;

import io.binlogbridge.core.protocol.MySqlClient;
import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.core.protocol.ServerGreeting;
import io.binlogbridge.core.protocol.auth.Scrambles;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A client that does what no MySQL client library does without TLS: answers "perform full authentication" with the
 * password in the clear. Run against MySQL and the replayer alike, it shows what the server answers that.
 */
final class CleartextWithoutTlsProbe {
    /** What the server sent after the first answer, and after the cleartext password (null when it closed). */
    record Outcome(byte[] afterScramble, byte[] afterCleartext) {
        int errorCode() {
            return afterCleartext == null || (afterCleartext[0] & 0xFF) != 0xFF ? -1
                    : (afterCleartext[1] & 0xFF) | (afterCleartext[2] & 0xFF) << 8;
        }

        String errorMessage() {
            return new String(afterCleartext, 9, afterCleartext.length - 9, StandardCharsets.UTF_8);
        }
    }

    private CleartextWithoutTlsProbe() {}

    static Outcome run(int port, String user, String password) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            ServerGreeting greeting = ServerGreeting.parse(read(in));
            byte[] seed = greeting.authSeed();
            int caps = MySqlConstants.CLIENT_PROTOCOL_41 | MySqlConstants.CLIENT_SECURE_CONNECTION | MySqlConstants.CLIENT_PLUGIN_AUTH
                    | MySqlConstants.CLIENT_LONG_PASSWORD;
            write(out, 1, MySqlClient.handshakeResponse(caps, user, Scrambles.cachingSha2Password(password, seed),
                    MySqlConstants.CACHING_SHA2_PASSWORD));
            byte[] first = read(in);
            if (first.length != 2 || first[0] != 0x01 || first[1] != 0x04) {
                return new Outcome(first, null);
            }
            write(out, 3, (password + "\0").getBytes(StandardCharsets.UTF_8));
            byte[] second;
            try {
                second = read(in);
            } catch (IOException closed) {
                second = null;
            }
            return new Outcome(first, second);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(DataInputStream in) throws IOException {
        byte[] header = new byte[4];
        in.readFully(header);
        int length = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
        byte[] payload = new byte[length];
        in.readFully(payload);
        return payload;
    }

    private static void write(OutputStream out, int seq, byte[] payload) throws IOException {
        byte[] header = {(byte) payload.length, (byte) (payload.length >>> 8), (byte) (payload.length >>> 16), (byte) seq};
        out.write(header);
        out.write(payload);
        out.flush();
    }
}
