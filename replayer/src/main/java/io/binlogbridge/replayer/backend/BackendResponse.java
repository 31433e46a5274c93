package io.binlogbridge.replayer.backend;

import static io.binlogbridge.core.protocol.MySqlConstants.EOF_HEADER;
import static io.binlogbridge.core.protocol.MySqlConstants.ERR_HEADER;
import static io.binlogbridge.core.protocol.MySqlConstants.LOCAL_INFILE_HEADER;
import static io.binlogbridge.core.protocol.MySqlConstants.OK_HEADER;
import static io.binlogbridge.core.protocol.MySqlConstants.SERVER_MORE_RESULTS_EXISTS;

import io.binlogbridge.core.protocol.MySqlClient;
import io.binlogbridge.core.protocol.PacketChannel;
import io.binlogbridge.core.protocol.PayloadReader;
import io.binlogbridge.core.protocol.ProtocolException;
import io.binlogbridge.server.wire.PayloadSink;
import java.io.IOException;

/**
 * Relays one COM_QUERY response from the backend to the client as it arrives, payload by payload, so a result set of
 * any size passes through a bounded amount of memory. The backend connection never negotiates CLIENT_DEPRECATE_EOF
 * ({@link MySqlClient}), so its result sets end with EOF packets; for a client that negotiated it, the EOF after the
 * column definitions is dropped and the final one becomes an OK with the 0xFE header carrying the same warnings and
 * status, as a server would have sent it.
 */
final class BackendResponse {
    private BackendResponse() {}

    /**
     * Relays the response whose first payload is {@code first} into {@code sink}; returns the server status of its
     * last OK or EOF (SERVER_STATUS_IN_TRANS …), or -1 after an ERR.
     */
    static int relay(byte[] first, PacketChannel channel, boolean deprecateEof, PayloadSink sink) throws IOException {
        byte[] p = first;
        while (true) {
            if (p.length == 0) {
                throw new ProtocolException("empty response to COM_QUERY");
            }
            int header = p[0] & 0xFF;
            int status;
            if (header == ERR_HEADER) {
                sink.write(p);
                return -1;
            } else if (header == OK_HEADER) {
                sink.write(p);
                PayloadReader r = new PayloadReader(p, 1, p.length - 1);
                r.readLengthEncodedInt(); // affected rows
                r.readLengthEncodedInt(); // last insert id
                status = r.readInt2();
            } else if (header == LOCAL_INFILE_HEADER) {
                // The file would be the client's; relaying the request is not supported, and the connection is now
                // out of step: the caller closes it.
                throw new ProtocolException("the query backend asked for LOAD DATA LOCAL INFILE, which is not relayed");
            } else {
                status = relayResultSet(channel, p, deprecateEof, sink);
            }
            if (status < 0 || (status & SERVER_MORE_RESULTS_EXISTS) == 0) {
                return status;
            }
            p = channel.readPayload();
        }
    }

    /** Returns the final status, or -1 when the rows ended in an ERR (the query failed midway). */
    private static int relayResultSet(PacketChannel channel, byte[] columnCount, boolean deprecateEof, PayloadSink sink)
            throws IOException {
        sink.write(columnCount);
        long columns = new PayloadReader(columnCount).readLengthEncodedInt();
        for (long i = 0; i < columns; i++) {
            sink.write(channel.readPayload());
        }
        byte[] eof = channel.readPayload();
        if (!MySqlClient.isEof(eof)) {
            throw new ProtocolException("expected EOF after the column definitions from the query backend");
        }
        if (!deprecateEof) {
            sink.write(eof);
        }
        while (true) {
            byte[] p = channel.readPayload();
            if (MySqlClient.isErr(p)) {
                sink.write(p);
                return -1;
            }
            if (MySqlClient.isEof(p)) {
                PayloadReader r = new PayloadReader(p, 1, p.length - 1);
                int warnings = r.readInt2();
                int status = r.readInt2();
                sink.write(deprecateEof ? okAsEof(warnings, status) : p);
                return status;
            }
            sink.write(p);
        }
    }

    /** OK with the EOF header: affected rows 0, last insert id 0, status, warnings. */
    private static byte[] okAsEof(int warnings, int status) {
        return new byte[] {(byte) EOF_HEADER, 0, 0, (byte) status, (byte) (status >> 8), (byte) warnings, (byte) (warnings >> 8)};
    }
}
