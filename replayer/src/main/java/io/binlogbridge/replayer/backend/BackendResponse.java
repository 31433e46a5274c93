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
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The payloads of one COM_QUERY response read from the backend, as the client should get them. The backend
 * connection never negotiates CLIENT_DEPRECATE_EOF ({@link MySqlClient}), so its result sets end with EOF packets;
 * for a client that negotiated it, the EOF after the column definitions is dropped and the final one becomes an OK
 * with the 0xFE header carrying the same warnings and status, as a server would have sent it.
 *
 * @param status the server status of the response's last OK or EOF (SERVER_STATUS_IN_TRANS …); -1 after an ERR
 */
record BackendResponse(List<byte[]> payloads, int status) {

    static BackendResponse read(PacketChannel channel, boolean deprecateEof) throws IOException {
        List<byte[]> out = new ArrayList<>();
        boolean more = true;
        int status = -1;
        while (more) {
            byte[] p = channel.readPayload();
            if (p.length == 0) {
                throw new ProtocolException("empty response to COM_QUERY");
            }
            int header = p[0] & 0xFF;
            if (header == ERR_HEADER) {
                out.add(p);
                return new BackendResponse(out, -1);
            } else if (header == OK_HEADER) {
                out.add(p);
                PayloadReader r = new PayloadReader(p, 1, p.length - 1);
                r.readLengthEncodedInt(); // affected rows
                r.readLengthEncodedInt(); // last insert id
                status = r.readInt2();
            } else if (header == LOCAL_INFILE_HEADER) {
                // The file would be the client's; relaying the request is not supported, and the connection is now
                // out of step: the caller closes it.
                throw new ProtocolException("the query backend asked for LOAD DATA LOCAL INFILE, which is not relayed");
            } else {
                status = readResultSet(channel, p, deprecateEof, out);
            }
            more = status >= 0 && (status & SERVER_MORE_RESULTS_EXISTS) != 0;
        }
        return new BackendResponse(out, status);
    }

    /** Returns the final status, or -1 when the rows ended in an ERR (the query failed midway). */
    private static int readResultSet(PacketChannel channel, byte[] columnCount, boolean deprecateEof, List<byte[]> out)
            throws IOException {
        out.add(columnCount);
        long columns = new PayloadReader(columnCount).readLengthEncodedInt();
        for (long i = 0; i < columns; i++) {
            out.add(channel.readPayload());
        }
        byte[] eof = channel.readPayload();
        if (!MySqlClient.isEof(eof)) {
            throw new ProtocolException("expected EOF after the column definitions from the query backend");
        }
        if (!deprecateEof) {
            out.add(eof);
        }
        while (true) {
            byte[] p = channel.readPayload();
            if (MySqlClient.isErr(p)) {
                out.add(p);
                return -1;
            }
            if (MySqlClient.isEof(p)) {
                PayloadReader r = new PayloadReader(p, 1, p.length - 1);
                int warnings = r.readInt2();
                int status = r.readInt2();
                out.add(deprecateEof ? okAsEof(warnings, status) : p);
                return status;
            }
            out.add(p);
        }
    }

    /** OK with the EOF header: affected rows 0, last insert id 0, status, warnings. */
    private static byte[] okAsEof(int warnings, int status) {
        return new byte[] {(byte) EOF_HEADER, 0, 0, (byte) status, (byte) (status >> 8), (byte) warnings, (byte) (warnings >> 8)};
    }
}
