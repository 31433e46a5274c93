package io.binlogbridge.bench;

import io.binlogbridge.core.io.GrowableBuffer;
import io.binlogbridge.core.protocol.MySqlClient;
import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.core.replica.BinlogEventReader;
import io.binlogbridge.it.fanout.DumpDigest;
import java.io.IOException;

/**
 * A raw dump client that only counts what it receives: no checksum, no parsing, so that the client side costs as
 * little CPU as possible and the figures are the server's.
 */
final class DumpReader {
    /** Bytes of events received and the time from connecting to the last of them. */
    record Received(long bytes, double seconds) {
        double mbPerSecond() {
            return bytes / 1e6 / seconds;
        }
    }

    private DumpReader() {}

    /**
     * A NON_BLOCK dump from {@code file:position}, read until {@code limitBytes} of events (artificial ones
     * included) have arrived or the log ends; then the connection is closed.
     */
    static Received read(int port, String user, String password, int serverId, Coordinates from, long limitBytes)
            throws IOException {
        long t0 = System.nanoTime();
        try (MySqlClient client = DumpDigest.connect(port, user, password)) {
            client.sendBinlogDump(from.file(), from.position(), serverId, MySqlConstants.BINLOG_DUMP_NON_BLOCK);
            BinlogEventReader reader = new BinlogEventReader(client.channel(), false);
            GrowableBuffer buffer = new GrowableBuffer(64 << 10);
            long bytes = 0;
            while (bytes < limitBytes) {
                buffer.clear();
                int length = reader.readEvent(buffer);
                if (length < 0) {
                    break;
                }
                bytes += length;
            }
            return new Received(bytes, (System.nanoTime() - t0) / 1e9);
        }
    }
}
