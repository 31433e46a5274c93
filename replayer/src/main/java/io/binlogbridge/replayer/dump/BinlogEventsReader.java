package io.binlogbridge.replayer.dump;

import static io.binlogbridge.core.binlog.BinlogConstants.*;

import io.binlogbridge.core.binlog.ChecksumAlgorithms;
import io.binlogbridge.core.binlog.EventHeader;
import io.binlogbridge.core.binlog.RotateEvent;
import io.binlogbridge.replayer.log.IndexedFile;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.replayer.log.RecordBlock;
import io.binlogbridge.replayer.log.RecordBlockCache;
import io.binlogbridge.replayer.query.BinlogEventsSource;
import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.ChecksumAlgorithm;
import io.binlogbridge.schemas.RecordKind;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads SHOW BINLOG EVENTS' rows from the indexed log through the dumps' shared {@link RecordBlockCache}, on threads
 * of its own (a read may wait for Kafka, and the event loops serve every other connection meanwhile). One file is
 * walked as a dump walks it, from the record holding {@code FROM}; only the few bytes each description needs are
 * copied, the read stops at LIMIT, and an answer without LIMIT is refused beyond {@value #MAX_RESULT_BYTES} bytes.
 */
public final class BinlogEventsReader implements BinlogEventsSource, AutoCloseable {
    /** Bounds the memory of one answer: a whole file of many events, listed without LIMIT, could be gigabytes. */
    static final long MAX_RESULT_BYTES = 64L << 20;

    private final LogIndex index;
    private final Blocks blocks;
    private final ExecutorService threads;

    /** The records of the indexed log: {@link RecordBlockCache#blockAt}. */
    @FunctionalInterface
    interface Blocks {
        /** The block holding {@code offset}, retained for the caller; null at the end of the indexed log. */
        RecordBlock blockAt(long offset) throws InterruptedException;
    }

    public BinlogEventsReader(LogIndex index, RecordBlockCache blocks) {
        this(index, (Blocks) blocks::blockAt);
    }

    BinlogEventsReader(LogIndex index, Blocks blocks) {
        this.index = index;
        this.blocks = blocks;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "show-binlog-events-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public CompletableFuture<List<List<String>>> events(BinlogEventsRequest request) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return read(request);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            }
        }, threads);
    }

    private List<List<String>> read(BinlogEventsRequest request) throws InterruptedException {
        IndexedFile file = index.file(request.file());
        if (file == null) {
            throw new BinlogEventsException("Could not find target log");
        }
        Listing listing = new Listing(file, Math.max(BIN_LOG_HEADER_SIZE, request.from()), request);
        EventSplitter splitter = new EventSplitter();
        long offset = index.offsetAtOrBefore(file, listing.from);
        boolean inFile = false;
        try {
            while (!listing.finished()) {
                RecordBlock block = blocks.blockAt(offset);
                if (block == null) {
                    break; // the end of the indexed log
                }
                try {
                    for (int i = 0; i < block.size() && !listing.finished(); i++) {
                        if (block.offset(i) < offset) {
                            continue;
                        }
                        BinlogRecord v = block.record(i);
                        if (v.getKind() == RecordKind.TERM_START) {
                            continue;
                        }
                        if (v.getTerm() != file.term() || !v.getFile().equals(file.sourceName())) {
                            listing.done = inFile; // past the file's last record
                            continue;
                        }
                        inFile = true;
                        int length = block.eventsLength(i);
                        splitter.feed(block.events(), block.eventsIndex(i), length, v.getEndPosition() - length, listing::event);
                    }
                } catch (DumpRefusedException e) {
                    throw new BinlogEventsException(e.getMessage());
                } finally {
                    block.release();
                }
                offset = Math.max(offset + 1, block.nextOffset());
            }
        } finally {
            splitter.reset();
        }
        if (listing.misplaced != null) {
            throw new BinlogEventsException(listing.misplaced.error());
        }
        return listing.rows;
    }

    @Override
    public void close() {
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The rows of one request as the file's events go by. */
    private final class Listing {
        final IndexedFile file;
        final long from;
        final BinlogEventsRequest request;
        final List<List<String>> rows = new ArrayList<>();
        /** Set when FROM is inside an event: what the server would read there instead of an event. */
        MisplacedStart misplaced;
        int checksumLength;
        long skipped;
        long bytes;
        boolean done;

        Listing(IndexedFile file, long from, BinlogEventsRequest request) {
            this.file = file;
            this.from = from;
            this.request = request;
            this.checksumLength = file.header() != null && file.header().getChecksum() == ChecksumAlgorithm.CRC32 ? BINLOG_CHECKSUM_LEN : 0;
            this.done = request.limit() == 0;
        }

        /** Nothing more to read: the rows are complete, or FROM fell inside an event and the failure is known. */
        boolean finished() {
            return done || (misplaced != null && misplaced.complete());
        }

        void event(ByteBuf source, int at, int length, long position) throws DumpRefusedException {
            if (done) {
                return;
            }
            if (misplaced != null) {
                misplaced.take(source, at, length);
                return;
            }
            long end = position + length;
            if (position < from) {
                if (end > from) {
                    misplaced = new MisplacedStart(from, index.size(file), index.identity().mariaDb());
                    misplaced.take(source, at + (int) (from - position), (int) (end - from));
                }
                return;
            }
            int type = source.getUnsignedByte(at + EVENT_TYPE_OFFSET);
            byte[] event = new byte[EventInfo.bytesNeeded(type, length)];
            source.getBytes(at, event);
            if (type == FORMAT_DESCRIPTION_EVENT) {
                checksumLength = ChecksumAlgorithms.trailerLength(ChecksumAlgorithms.fromFormatDescription(event, 0));
            }
            if (skipped < request.skip()) {
                skipped++;
                return;
            }
            String info = EventInfo.info(event, checksumLength);
            long endLogPos = EventHeader.logPos(event, 0);
            if (type == ROTATE_EVENT) {
                // A later term's ROTATE names the next file as the log presents it (RotateRewriter), and grows or
                // shrinks with the name.
                String named = RotateEvent.fileName(event, 0, checksumLength > 0 ? BINLOG_CHECKSUM_ALG_CRC32 : BINLOG_CHECKSUM_ALG_OFF);
                String target = index.rotateTarget(file.term(), file.sourceName(), file.name(), named);
                if (!target.equals(named)) {
                    info = target + info.substring(named.length());
                    endLogPos += target.getBytes(StandardCharsets.UTF_8).length - named.getBytes(StandardCharsets.UTF_8).length;
                }
            }
            List<String> row = Arrays.asList(file.name(), Long.toString(position), EventInfo.typeName(type),
                    Long.toString(EventHeader.serverId(event, 0)), Long.toString(endLogPos), info);
            bytes += 64 + info.length() * 2L;
            if (bytes > MAX_RESULT_BYTES) {
                throw new DumpRefusedException("the listing of " + file.name() + " exceeds " + (MAX_RESULT_BYTES >> 20)
                        + " MiB; list it in parts with FROM and LIMIT");
            }
            rows.add(row);
            if (request.limit() > 0 && rows.size() >= request.limit()) {
                done = true;
            }
        }
    }
}
