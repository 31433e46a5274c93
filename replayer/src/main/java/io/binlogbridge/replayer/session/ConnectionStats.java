package io.binlogbridge.replayer.session;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one connection did, for {@code /status} and the server's totals: who it is, and for a dump the server id it
 * asked with, where it is in the log and how many bytes it was sent. The dump thread writes a batch at a time; any
 * thread reads.
 */
public final class ConnectionStats {
    private final ServerCounters totals;
    private final String address;
    private final long connectedAtMillis;
    private volatile long dumpServerId = -1;
    private volatile boolean gtidDump;
    /** The dump has sent everything the log holds and waits for more; since when (SHOW PROCESSLIST's State and Time). */
    private volatile boolean dumpCaughtUp;
    private volatile long dumpStateSinceMillis;
    private volatile String dumpFile;
    private volatile long dumpPosition;
    private volatile long sentBytes;
    private final LongAdder bytesWritten = new LongAdder();

    /**
     * @param totals the server's totals, which this connection adds to
     * @param address the client's address and port
     */
    public ConnectionStats(ServerCounters totals, String address, long connectedAtMillis) {
        this.totals = totals;
        this.address = address;
        this.connectedAtMillis = connectedAtMillis;
    }

    /** Stats of a connection that no server counts (tests). */
    public static ConnectionStats standalone() {
        return new ConnectionStats(new ServerCounters(), "", System.currentTimeMillis());
    }

    /** A dump began for a replica with this server id; {@code gtid}: it asked with COM_BINLOG_DUMP_GTID. */
    public void dumpStarted(long serverId, boolean gtid) {
        dumpServerId = serverId;
        gtidDump = gtid;
        dumpCaughtUp = false;
        dumpStateSinceMillis = System.currentTimeMillis();
    }

    /** The dump reached the end of the log (true) or found more to send (false). Called by the dump thread only. */
    public void dumpCaughtUp(boolean caughtUp) {
        if (caughtUp != dumpCaughtUp) {
            dumpCaughtUp = caughtUp;
            dumpStateSinceMillis = System.currentTimeMillis();
        }
    }

    /** A batch of dump packets went to the connection; the dump is now at {@code file:position}. Called by one thread at a time. */
    public void sent(long bytes, String file, long position) {
        sentBytes += bytes;
        dumpFile = file;
        dumpPosition = position;
        totals.sent(bytes);
    }

    /** Bytes went to the client, whatever they carry (results, errors, dump packets). */
    public void written(long bytes) {
        bytesWritten.add(bytes);
        totals.written(bytes);
    }

    /** Every byte written to this connection: its Bytes_sent. */
    public long bytesWritten() {
        return bytesWritten.sum();
    }

    public void authenticationFailed() {
        totals.authenticationFailed();
    }

    public String address() {
        return address;
    }

    public long connectedAtMillis() {
        return connectedAtMillis;
    }

    /** The server id of the last dump request, -1 before any. */
    public long dumpServerId() {
        return dumpServerId;
    }

    /** The file the dump has sent up to, null before its first packet. */
    public String dumpFile() {
        return dumpFile;
    }

    /** The last dump request was COM_BINLOG_DUMP_GTID. */
    public boolean gtidDump() {
        return gtidDump;
    }

    public boolean dumpCaughtUp() {
        return dumpCaughtUp;
    }

    /** When the dump started, or last became caught up or busy again. */
    public long dumpStateSinceMillis() {
        return dumpStateSinceMillis;
    }

    public long dumpPosition() {
        return dumpPosition;
    }

    public long sentBytes() {
        return sentBytes;
    }
}
