package io.binlogbridge.replayer.dump;

import static io.binlogbridge.core.binlog.BinlogConstants.*;

import io.binlogbridge.core.binlog.EventHeader;
import io.binlogbridge.core.binlog.RotateEvent;
import io.binlogbridge.core.binlog.TransactionBoundaries;
import io.binlogbridge.core.gtid.MariaDbGtid;
import io.binlogbridge.core.gtid.MariaDbGtidPosition;
import io.binlogbridge.core.gtid.MySqlGtid;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.core.record.PresentedNames;
import io.binlogbridge.replayer.archive.ArchiveException;
import io.binlogbridge.replayer.archive.FileManifest;
import io.binlogbridge.replayer.log.IndexedFile;
import io.binlogbridge.replayer.log.LogIndex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;

/**
 * The start of a dump that lies before the topic's history: archived files sent one after another, each announced as
 * the topic path announces a new file, until the file a ROTATE names is in the topic again. Each file is read and
 * checked by an {@link ArchivedFileReader}; the transactions the replica already has are left out here, because an
 * archived file has no records that carry their GTID. What the replica sees (positions, fake ROTATEs, heartbeats,
 * batches) stays with the dump, behind {@link Dump}, so both sources of history reach the replica the same way.
 */
final class ArchivedStretch implements AutoCloseable {

    /** What the stretch needs of the dump it belongs to. */
    interface Dump {
        /** The dump is to end (stopped, finishing, or the client gone): nothing more is read. */
        boolean ending();

        /** Sends {@code source[0, length)}, the event at {@code eventStart}, as an event read from the topic. */
        void event(ByteBuf source, int length, long eventStart) throws DumpRefusedException;

        /** The replica already has the transaction that ends at {@code end}: the dump's position moves past it. */
        void skipped(long end);

        /** The stretch goes on in {@code file}: the dump announces it and takes on its checksum algorithm. */
        void newFile(FileManifest file, int checksumAlgorithm);

        /** A batch may be full: hands it to the event loop and waits while the client is slow. */
        void batched() throws InterruptedException;
    }

    private final ArchiveHistory history;
    private final LogIndex index;
    private final MySqlGtidSet excludeMySql;
    private final MariaDbGtidPosition excludeMariaDb;
    private final Dump dump;
    /** Events that fit arrive here, one buffer for the whole dump; {@link #events} views it without a copy. */
    private final byte[] buffer = new byte[DumpPackets.COPY_LIMIT];
    private ByteBuf events;
    private final TransactionBoundaries transactions = new TransactionBoundaries();
    /** The file being read; null between files. */
    private ArchivedFileReader reader;
    /** The file the current file's ROTATE names: where the dump goes on. */
    private String next;
    private boolean skipping;

    ArchivedStretch(ArchiveHistory history, LogIndex index, MySqlGtidSet excludeMySql, MariaDbGtidPosition excludeMariaDb,
            Dump dump) {
        this.history = history;
        this.index = index;
        this.excludeMySql = excludeMySql;
        this.excludeMariaDb = excludeMariaDb;
        this.dump = dump;
    }

    /** Opens {@code first}, where the dump starts, and reads its FORMAT_DESCRIPTION. */
    void open(FileManifest first) throws DumpRefusedException {
        openFile(first);
    }

    /** The first file's FORMAT_DESCRIPTION, at offset 0, until {@link #send()} begins. */
    byte[] formatDescription() {
        return reader.event();
    }

    /** The current file's checksum algorithm, as its FORMAT_DESCRIPTION gives it. */
    int checksumAlgorithm() {
        return reader.checksumAlgorithm();
    }

    /**
     * Sends the archived files from the one {@link #open opened} on. Returns the topic offset to go on from (the header
     * of the first file the topic holds), or -1 when the dump ended meanwhile.
     */
    long send() throws DumpRefusedException, InterruptedException {
        while (true) {
            do {
                if (dump.ending()) {
                    return -1;
                }
                onEvent();
                dump.batched();
            } while (nextEvent());
            String following = next;
            String ended = reader.manifest().name();
            closeFile();
            if (following == null) {
                // A file its source closed by a restart (STOP_EVENT) or a crash has no ROTATE: the source went on in the
                // next number, as the topic's next file does; if neither the topic nor the archive holds it, the dump ends below.
                following = PresentedNames.next(ended);
            }
            IndexedFile inTopic = index.file(following);
            if (inTopic != null && inTopic.header() != null) {
                // The topic path meets a new file there and announces it, exactly as between two topic files.
                return inTopic.headerOffset();
            }
            FileManifest m = manifest(following);
            if (m == null) {
                throw new DumpRefusedException("binlog-bridge: the log continues in '" + following + "' after '" + ended
                        + "', which neither the topic nor the archive " + history.describe() + " holds");
            }
            openFile(m);
            dump.newFile(m, reader.checksumAlgorithm());
        }
    }

    /** The current event: left out when the replica has its transaction, else sent as the topic's would be. */
    private void onEvent() throws DumpRefusedException {
        byte[] b = reader.event();
        int length = reader.length();
        long eventStart = reader.eventStart();
        int type = b[EVENT_TYPE_OFFSET] & 0xFF;
        if (type == ROTATE_EVENT && (EventHeader.flags(b, 0) & LOG_EVENT_ARTIFICIAL_F) == 0) {
            next = RotateEvent.fileName(b, 0, reader.checksumAlgorithm());
        }
        if (excludeMySql != null || excludeMariaDb != null) {
            int boundary = transactions.onEvent(b, 0, reader.checksumAlgorithm());
            if ((boundary & TransactionBoundaries.STARTS) != 0) {
                skipping = excluded(b, type);
            }
            if (skipping && boundary != TransactionBoundaries.OUTSIDE) {
                if ((boundary & TransactionBoundaries.ENDS) != 0) {
                    dump.skipped(eventStart + length);
                }
                return;
            }
        }
        ByteBuf source;
        if (reader.reuses(b)) {
            if (events == null) {
                events = Unpooled.wrappedBuffer(b);
            }
            source = events;
        } else {
            // Larger than DumpPackets copies: the packets hold a slice of it until written, so it has an array of its own.
            source = Unpooled.wrappedBuffer(b, 0, length);
        }
        dump.event(source, length, eventStart);
    }

    private boolean excluded(byte[] b, int type) {
        if (type == GTID_LOG_EVENT && excludeMySql != null) {
            return excludeMySql.contains(MySqlGtid.fromGtidEvent(b, 0));
        }
        if (type == MARIADB_GTID_EVENT && excludeMariaDb != null) {
            return excludeMariaDb.contains(MariaDbGtid.fromGtidEvent(b, 0));
        }
        return false;
    }

    private FileManifest manifest(String name) throws DumpRefusedException {
        try {
            return history.file(name);
        } catch (ArchiveException e) {
            throw ArchivedFileReader.unreachable(history, e);
        }
    }

    /** Opens {@code m} and reads its first event (its FORMAT_DESCRIPTION). */
    private void openFile(FileManifest m) throws DumpRefusedException {
        InputStream in = history.open(m.name());
        try {
            reader = new ArchivedFileReader(in, m, history.describe() + "/" + m.name(), buffer);
        } catch (IOException e) {
            closeQuietly(in);
            throw ArchivedFileReader.unreachable(history, e);
        } catch (DumpRefusedException e) {
            closeQuietly(in);
            throw e;
        }
        next = null;
        transactions.reset();
        skipping = false;
        if (!nextEvent()) {
            throw new DumpRefusedException("binlog-bridge: archived binlog file '" + m.name() + "' holds no events");
        }
    }

    private boolean nextEvent() throws DumpRefusedException {
        try {
            return reader.next();
        } catch (IOException e) {
            throw ArchivedFileReader.unreachable(history, e);
        }
    }

    private void closeFile() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException ignored) {
                // read to its end or abandoned: nothing to keep
            }
            reader = null;
        }
    }

    @Override
    public void close() {
        closeFile();
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // never read from
        }
    }
}
