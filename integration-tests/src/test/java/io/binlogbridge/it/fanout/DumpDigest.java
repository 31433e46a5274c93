package io.binlogbridge.it.fanout;

import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.core.binlog.EventHeader;
import io.binlogbridge.core.io.GrowableBuffer;
import io.binlogbridge.core.protocol.ConnectionSettings;
import io.binlogbridge.core.protocol.MySqlClient;
import io.binlogbridge.core.replica.BinlogEventReader;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/** A raw dump client's view of what it received: per file, the number of events and a CRC32 of their bytes. */
public final class DumpDigest {
    /** Per file: events, bytes and the CRC32 of the concatenated event bytes. */
    public static final class FileDigest {
        public long events;
        public long bytes;
        public final CRC32 crc = new CRC32();

        public void add(byte[] b, int off, int len) {
            events++;
            bytes += len;
            crc.update(b, off, len);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FileDigest d && d.events == events && d.bytes == bytes && d.crc.getValue() == crc.getValue();
        }

        @Override
        public int hashCode() {
            return Long.hashCode(crc.getValue());
        }

        @Override
        public String toString() {
            return events + " events, " + bytes + " bytes, crc " + Long.toHexString(crc.getValue());
        }
    }

    private DumpDigest() {}

    /** A replication connection as a replica opens one: checksums as logged, a heartbeat period. */
    public static MySqlClient connect(int port, String user, String password) throws IOException {
        MySqlClient client = MySqlClient.connect(ConnectionSettings.of("127.0.0.1", port, user, password)
                .withReadTimeout(Duration.ofSeconds(60)));
        client.execute("SET @master_binlog_checksum= @@global.binlog_checksum");
        client.execute("SET @master_heartbeat_period= 1000000000");
        return client;
    }

    public static boolean artificial(byte[] e, int off) {
        return EventHeader.logPos(e, off) == 0 || (EventHeader.flags(e, off) & BinlogConstants.LOG_EVENT_ARTIFICIAL_F) != 0
                || EventHeader.type(e, off) == BinlogConstants.HEARTBEAT_LOG_EVENT;
    }

    /** Reads a dump until EOF, digesting the real (non-artificial) events of each file. */
    public static Map<String, FileDigest> readToEof(MySqlClient client) throws IOException {
        return read(client, Long.MAX_VALUE);
    }

    /** As {@link #readToEof}, stopping after {@code maxEvents} events of any kind. */
    public static Map<String, FileDigest> read(MySqlClient client, long maxEvents) throws IOException {
        BinlogEventReader reader = new BinlogEventReader(client.channel(), false);
        Map<String, FileDigest> files = new LinkedHashMap<>();
        GrowableBuffer buffer = new GrowableBuffer(64 << 10);
        FileDigest current = null;
        for (long n = 0; n < maxEvents; n++) {
            buffer.clear();
            int len = reader.readEvent(buffer);
            if (len < 0) {
                break;
            }
            byte[] e = buffer.array();
            if (EventHeader.type(e, 0) == BinlogConstants.ROTATE_EVENT && artificial(e, 0)) {
                String file = new String(e, 27, len - 27 - 4);
                current = files.computeIfAbsent(file, f -> new FileDigest());
                continue;
            }
            if (!artificial(e, 0)) {
                current.add(e, 0, len);
            }
        }
        return files;
    }

    /** What a dump from {@code start} should deliver from the file {@code disk} (in-use flag cleared). */
    public static FileDigest expected(byte[] disk, long start) {
        FileDigest d = new FileDigest();
        int pos = (int) start;
        while (pos < disk.length) {
            int size = (int) EventHeader.eventSize(disk, pos);
            d.add(disk, pos, size);
            pos += size;
        }
        return d;
    }
}
