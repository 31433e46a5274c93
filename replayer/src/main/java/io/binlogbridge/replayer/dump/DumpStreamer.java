package io.binlogbridge.replayer.dump;

import static io.binlogbridge.core.binlog.BinlogConstants.*;

import io.binlogbridge.core.binlog.EventHeader;
import io.binlogbridge.core.binlog.RotateEvent;
import io.binlogbridge.core.gtid.MariaDbGtid;
import io.binlogbridge.core.gtid.MySqlGtid;
import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.replayer.archive.FileManifest;
import io.binlogbridge.replayer.log.LiveTail;
import io.binlogbridge.replayer.log.LogConsumers;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.replayer.log.RecordBlock;
import io.binlogbridge.replayer.log.RecordBlockCache;
import io.binlogbridge.replayer.server.DumpRequest;
import io.binlogbridge.server.wire.FramedPackets;
import io.binlogbridge.server.wire.PacketSequence;
import io.binlogbridge.server.wire.ResponsePackets;
import io.binlogbridge.replayer.session.Session;
import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.BinlogRecordCodec;
import io.binlogbridge.schemas.ChecksumAlgorithm;
import io.binlogbridge.schemas.RecordKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one binlog dump, on a thread of its own: a fake ROTATE and the FORMAT_DESCRIPTION first, then
 * the stored events exactly as the source wrote them, heartbeats when the log is idle, EOF at the end
 * for a non-blocking dump. History is read through the shared {@link RecordBlockCache}; at the end of
 * the log the dump follows the records the index tail reads ({@link LiveTail}), shared with every other
 * dump there; parked at its end, it is handed each next block on the channel's event loop, which streams
 * it there while this thread sleeps. Events are framed into packets here ({@link DumpPackets}) and handed
 * to the event loop a batch at a time; reading stops while the client is slow (the channel is not
 * writable), so one stalled replica holds a bounded amount of memory and delays nobody else.
 */
class DumpStreamer implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(DumpStreamer.class);
    /** Bytes framed before they go to the event loop; at most 2 batches wait there per dump. */
    private static final int BATCH_BYTES = 1 << 20;
    /** How long a dump parked at the log's end sleeps at most when no heartbeat is due sooner. */
    private static final long PARKED_MILLIS = 1000;
    /** Buffers for headers and the small events copied next to them; longer events are sent from their blocks. */
    private static final int COPY_BUFFER_BYTES = 32 << 10;

    private final Channel channel;
    private final Session session;
    private final DumpRequest request;
    private final LogIndex index;
    private final LogConsumers consumers;
    private final DumpPlanner planner;
    private final Object writability;
    private final RecordBlockCache blocks;
    private final LiveTail tail;
    private final EventSplitter splitter = new EventSplitter();
    private final DumpPackets packets;
    private final LogWait logWait = new LogWait();
    private final long heartbeatNanos;
    /** Reads the topic's end for a non-blocking dump (opened the first time it is needed). */
    private volatile KafkaConsumer<byte[], byte[]> endReader;
    /** This dump has reached the log's end once: the index tail keeps its records for it. */
    private boolean following;
    /** This dump as the index tail sees it while it waits at the log's end. */
    private final Handoff follower = new Handoff();
    /** What ended a delivery on the event loop, for the dump's thread to end the dump with. */
    private Throwable deliveryFailure;
    /** The offset of the next record to stream. */
    private long nextOffset;
    private volatile boolean stopped;
    /** The server is shutting down: end the dump at the next event boundary, the client's copy whole. */
    private volatile boolean finishing;
    /** Bytes handed to the event loop and not yet in the channel's outbound buffer. */
    private final java.util.concurrent.atomic.AtomicLong submitted = new java.util.concurrent.atomic.AtomicLong();

    private long serverId;
    private int eventChecksum;
    /** The file being sent, by its presented name (what the client sees) and as the records name it (term, source name). */
    private String file;
    private int term;
    private String sourceFile;
    private long startPosition;
    private boolean expectFirstAtStart;
    private long position;
    private boolean skippingTransaction;
    private long skippedUpTo;
    private long lastSendNanos;
    private long bytesSent;
    private boolean sendAnnotateRows;
    private DumpPlan plan;
    /** While the dump sends history the topic no longer holds; null from the topic. */
    private ArchivedStretch archive;

    DumpStreamer(Channel channel, Session session, DumpRequest request, LogIndex index, LogConsumers consumers,
            RecordBlockCache blocks, LiveTail tail, DumpPlanner planner, Object writability, int firstSequence) {
        this.blocks = blocks;
        this.tail = tail;
        this.packets = new DumpPackets(channel.alloc(), COPY_BUFFER_BYTES, firstSequence);
        this.channel = channel;
        this.session = session;
        this.request = request;
        this.index = index;
        this.consumers = consumers;
        this.planner = planner;
        this.writability = writability;
        Long period = request.settings().heartbeatPeriodNanos();
        this.heartbeatNanos = period == null ? 0 : period;
    }

    /**
     * Ends the dump at the next event boundary: the events sent so far reach the client whole, then the connection
     * closes, and a replica reconnects (to this server's successor) from its last complete event.
     */
    void finish() {
        finishing = true;
        logWait.stop();
        follower.wake();
    }

    /** A new dump of the same replica replaces this one, as MySQL ends a zombie dump thread. */
    boolean sameReplica(String replicaUuid, long replicaServerId) {
        String mine = replicaUuid(session);
        if (replicaUuid != null && !replicaUuid.isEmpty()) {
            return replicaUuid.equals(mine);
        }
        return replicaServerId != 0 && replicaServerId == request.serverId();
    }

    /** The UUID a replica declares with SET @replica_uuid (MySQL 8.0.26+) or @slave_uuid, null without one. */
    static String replicaUuid(Session session) {
        String uuid = session.userVariableString("replica_uuid");
        return uuid != null ? uuid : session.userVariableString("slave_uuid");
    }

    Channel channel() {
        return channel;
    }

    Session session() {
        return session;
    }

    void stop() {
        stopped = true;
        logWait.stop();
        tail.wake();
        follower.wake();
        KafkaConsumer<byte[], byte[]> c = endReader;
        if (c != null) {
            c.wakeup();
        }
    }

    @Override
    public void run() {
        String who = "connection " + session.connectionId() + " (" + session.user() + "@" + session.remoteHost() + ", server_id " + request.serverId() + ")";
        try {
            if (!index.awaitReady(60, TimeUnit.SECONDS)) {
                throw new DumpRefusedException("binlog-bridge: the log index is still loading; retry later");
            }
            if (!awaitLog(who)) {
                return;
            }
            plan = planner.plan(request);
            session.stats().dumpStarted(request.serverId(), request.gtid());
            log.info("{}: dump from {}:{}{}{}", who, plan.fileName(), plan.startPosition(),
                    plan.archived() != null ? " (archived in " + planner.archive().describe() + ")" : "",
                    plan.excludeMySql() != null ? " (GTID auto-position)" : plan.excludeMariaDb() != null ? " (MariaDB GTID " + plan.excludeMariaDb() + ")" : "");
            stream();
        } catch (DumpRefusedException e) {
            log.info("{}: dump refused: {}", who, e.getMessage());
            fail(e.errorCode(), e.getMessage());
        } catch (WakeupException | InterruptedException e) {
            // Client went away or the server is stopping.
        } catch (RuntimeException | OutOfMemoryError e) {
            // Out of (direct) memory ends this dump with an error the replica shows, not a silent hang.
            if (!stopped && channel.isActive()) {
                log.warn("{}: dump failed", who, e);
                fail(MySqlConstants.ER_MASTER_FATAL_ERROR_READING_BINLOG, "binlog-bridge: reading the log failed: " + e);
            }
        } finally {
            reclaimOnExit(who);
            closeArchive();
            splitter.reset();
            packets.discard();
            if (following) {
                tail.unfollow();
            }
            KafkaConsumer<byte[], byte[]> c = endReader;
            if (c != null) {
                c.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(1)));
            }
            log.info("{}: dump ended after {} bytes; log blocks: {}; live tail: {}", who, bytesSent, blocks.stats(), tail.stats());
        }
    }

    private void stream() throws DumpRefusedException, InterruptedException {
        byte[] fde;
        int fdeOffset;
        boolean fileChecksummed;
        if (plan.archived() != null) {
            archive = new ArchivedStretch(planner.archive(), index, plan.excludeMySql(), plan.excludeMariaDb(), new ToArchive());
            archive.open(plan.archived());
            fde = archive.formatDescription();
            fdeOffset = 0;
            fileChecksummed = archive.checksumAlgorithm() == BINLOG_CHECKSUM_ALG_CRC32;
            file = plan.archived().name();
            term = plan.archived().term();
            sourceFile = plan.archived().sourceName();
        } else {
            BinlogRecord header = plan.file().header();
            ByteBuffer events = header.getEvents();
            fde = events.array();
            fdeOffset = events.arrayOffset() + events.position();
            fileChecksummed = header.getChecksum() == ChecksumAlgorithm.CRC32;
            file = plan.file().name();
            term = plan.file().term();
            sourceFile = plan.file().sourceName();
        }
        String clientChecksum = request.settings().masterBinlogChecksum();
        if (clientChecksum == null && fileChecksummed) {
            throw new DumpRefusedException("Slave can not handle replication events with the checksum that master is configured to log");
        }
        serverId = index.identity().serverId();
        sendAnnotateRows = !request.settings().mariaDbClient() || (request.flags() & MySqlConstants.BINLOG_SEND_ANNOTATE_ROWS_EVENT) != 0;
        boolean nonBlocking = nonBlocking();
        // Until the first FORMAT_DESCRIPTION, generated events use the checksum the client declared.
        eventChecksum = "CRC32".equalsIgnoreCase(clientChecksum) ? BINLOG_CHECKSUM_ALG_CRC32 : BINLOG_CHECKSUM_ALG_OFF;
        startPosition = plan.startPosition();
        position = startPosition;
        expectFirstAtStart = startPosition > BIN_LOG_HEADER_SIZE;

        send(ArtificialEvents.fakeRotate(serverId, file, startPosition, eventChecksum == BINLOG_CHECKSUM_ALG_CRC32));
        if (plan.resendFormatDescription()) {
            int fdeLength = (int) EventHeader.eventSize(fde, fdeOffset);
            send(ArtificialEvents.formatDescriptionForMidFileStart(fde, fdeOffset, fdeLength, fileChecksummed));
        }
        eventChecksum = fileChecksummed ? BINLOG_CHECKSUM_ALG_CRC32 : BINLOG_CHECKSUM_ALG_OFF;
        flush();

        lastSendNanos = System.nanoTime();
        nextOffset = plan.startOffset();
        if (archive != null) {
            nextOffset = archive.send();
            closeArchive();
            if (nextOffset >= 0) {
                flush();
            }
        }
        while (nextOffset >= 0 && !stopped && channel.isActive() && !finishedAtBoundary()) {
            awaitWritable();
            RecordBlock block = nextBlock(nextOffset);
            session.stats().dumpCaughtUp(block == null);
            if (block != null) {
                try {
                    for (int i = 0; i < block.size() && !stopped && !finishedAtBoundary(); i++) {
                        if (block.offset(i) >= nextOffset) {
                            onRecord(block, i);
                            if (packets.pendingBytes() >= BATCH_BYTES) {
                                flush();
                                awaitWritable();
                            }
                        }
                    }
                } finally {
                    block.release();
                }
                nextOffset = Math.max(nextOffset, block.nextOffset());
            } else {
                if (skippingTransaction || skippedUpTo > 0) {
                    sendHeartbeatForSkipped();
                }
                if (nonBlocking && caughtUp(nextOffset)) {
                    ByteBuf eof = ResponsePackets.eof(channel.alloc(), MySqlConstants.SERVER_STATUS_AUTOCOMMIT);
                    packets.payload(eof, eof.readerIndex(), eof.readableBytes());
                    eof.release();
                    flush();
                    session.dumping(false);
                    return;
                }
                if (heartbeatNanos > 0 && System.nanoTime() - lastSendNanos >= heartbeatNanos && splitter.atBoundary()) {
                    send(ArtificialEvents.heartbeat(serverId, file, position, eventChecksum == BINLOG_CHECKSUM_ALG_CRC32));
                }
            }
            flush();
        }
        if (finishing && !stopped) {
            // Queued after the last flush on the same event loop: the connection closes once everything sent is written.
            channel.eventLoop().execute(() -> channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE));
        }
    }

    /** The archive side's view of this dump: it sends, skips and announces files as the topic path does. */
    private final class ToArchive implements ArchivedStretch.Dump {
        @Override
        public boolean ending() {
            return stopped || finishing || !channel.isActive();
        }

        @Override
        public void event(ByteBuf source, int length, long eventStart) throws DumpRefusedException {
            onEvent(source, 0, length, eventStart);
        }

        @Override
        public void skipped(long end) {
            skippedUpTo = end;
            position = end;
            if (heartbeatNanos > 0 && System.nanoTime() - lastSendNanos >= heartbeatNanos) {
                // A long stretch the replica already has, read from a slow store: it hears how far the dump got.
                sendHeartbeatForSkipped();
                // Skipped transactions frame nothing, so no batch would fill and carry the heartbeat out.
                flush();
            }
        }

        @Override
        public void newFile(FileManifest m, int checksumAlgorithm) {
            announce(m.name(), m.term(), m.sourceName(), checksumAlgorithm);
        }

        @Override
        public void batched() throws InterruptedException {
            if (packets.pendingBytes() >= BATCH_BYTES) {
                flush();
                awaitWritable();
            }
        }
    }

    private void closeArchive() {
        if (archive != null) {
            archive.close();
            archive = null;
        }
    }

    private boolean finishedAtBoundary() {
        return finishing && splitter.atBoundary();
    }

    /**
     * An empty log is one no relay has written yet, not a server without binary logging: a blocking dump waits for
     * its first record, with heartbeats at the client's period, instead of the 1236 that stops a MySQL replica for
     * good. Returns false when the dump ended meanwhile. A non-blocking dump is not held (the planner refuses it).
     */
    private boolean awaitLog(String who) throws InterruptedException {
        if (!index.isEmpty() || nonBlocking()) {
            return true;
        }
        log.info("{}: dump waits for the log: topic {} has no record yet", who, consumers.topic());
        boolean checksum = "CRC32".equalsIgnoreCase(request.settings().masterBinlogChecksum());
        Runnable wake = logWait::wake;
        index.addChangeListener(wake);
        try {
            return logWait.await(() -> !index.isEmpty(), heartbeatNanos, () -> {
                send(ArtificialEvents.heartbeatBeforeRotate(index.identity().serverId(), request.binlogFile(),
                        request.position(), checksum));
                flush();
            });
        } finally {
            index.removeChangeListener(wake);
        }
    }

    /** mysqlbinlog without --stop-never asks for the log up to its current end, with the flag or server id 0. */
    private boolean nonBlocking() {
        return request.nonBlocking() || request.serverId() == 0;
    }

    /**
     * The records from {@code offset} on, or null when none came in time. History comes from the shared block cache;
     * at the end of the log, from the index tail's records: a blocking dump parks there, and the index tail hands what
     * it reads next straight to the channel's event loop, which streams it ({@link #streamDelivered}); null then too,
     * with {@link #nextOffset} moved on. (Overridden by tests that stream a block of their own.)
     */
    RecordBlock nextBlock(long offset) throws InterruptedException, DumpRefusedException {
        RecordBlock block = tail.blockAt(offset);
        if (block != null) {
            return block;
        }
        if (!tail.mayBring(offset)) {
            block = blocks.blockAt(offset);
            if (block != null) {
                return block;
            }
        }
        if (!following) {
            tail.follow();
            following = true;
        }
        if (nonBlocking()) {
            // It ends at the log's end: it looks for it at least every 100 ms.
            tail.await(offset, 100);
        } else if (tail.park(follower, offset)) {
            // Only a heartbeat due, or the dump ending, needs this thread before the next record arrives.
            long untilHeartbeat = heartbeatNanos > 0 ? heartbeatNanos - (System.nanoTime() - lastSendNanos) : Long.MAX_VALUE;
            follower.await(Math.max(1, Math.min(PARKED_MILLIS, TimeUnit.NANOSECONDS.toMillis(untilHeartbeat))));
            reclaim();
            offset = nextOffset;
        }
        // Null when nothing came in time, or when the tail moved past offset (history again: the next call reads it).
        return tail.blockAt(offset);
    }

    /** Takes this dump back from the index tail, after what was handed to it meanwhile has been streamed. */
    private void reclaim() throws InterruptedException, DumpRefusedException {
        while (!tail.reclaim(follower)) {
            follower.await(PARKED_MILLIS);
        }
        Throwable failure = deliveryFailure;
        if (failure != null) {
            deliveryFailure = null;
            if (failure instanceof DumpRefusedException refused) {
                throw refused;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) failure;
        }
    }

    /** A dump ending while a delivery runs on the event loop waits for it (it stops at the next record). */
    private void reclaimOnExit(String who) {
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!tail.reclaim(follower)) {
            if (System.nanoTime() > deadline) {
                log.warn("{}: the event loop did not end its delivery in 5 s", who);
                break;
            }
            LockSupport.parkNanos(1_000_000);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** This dump parked at the log's end, as the index tail hands it blocks and wakes it. */
    private final class Handoff extends LiveTail.Follower {
        private boolean woken;

        @Override
        protected void deliver(RecordBlock block) {
            try {
                channel.eventLoop().execute(() -> streamDelivered(block));
            } catch (RejectedExecutionException closing) {
                block.release();
                tail.next(this, nextOffset, false);
            }
        }

        @Override
        protected synchronized void wake() {
            woken = true;
            notifyAll();
        }

        synchronized void await(long millis) throws InterruptedException {
            if (!woken) {
                wait(millis);
            }
            woken = false;
        }
    }

    /**
     * On the channel's event loop: streams a block the index tail handed over, and each next one the tail holds by then;
     * hands the dump back to its thread when the client is slow, the dump ends or fails.
     */
    private void streamDelivered(RecordBlock first) {
        RecordBlock block = first;
        while (block != null) {
            boolean goOn;
            try {
                tail.streaming(block);
                goOn = streamOnLoop(block);
            } catch (Throwable e) {
                deliveryFailure = e;
                goOn = false;
            } finally {
                block.release();
            }
            block = tail.next(follower, nextOffset, goOn);
        }
    }

    /** Streams the block's records from {@link #nextOffset} on; false when the dump's thread should take over. */
    private boolean streamOnLoop(RecordBlock block) throws DumpRefusedException {
        for (int i = 0; i < block.size(); i++) {
            long offset = block.offset(i);
            if (offset < nextOffset) {
                continue;
            }
            if (stopped || finishedAtBoundary() || !channel.isActive()) {
                flush();
                return false;
            }
            onRecord(block, i);
            nextOffset = offset + 1;
            if (packets.pendingBytes() >= BATCH_BYTES) {
                flush();
                if (!channel.isWritable()) {
                    return false;
                }
            }
        }
        nextOffset = Math.max(nextOffset, block.nextOffset());
        flush();
        return channel.isWritable() && !stopped && !finishing;
    }

    /** A non-blocking dump has reached the end of the log: what a read_committed reader sees now. */
    boolean caughtUp(long offset) {
        if (endReader == null) {
            endReader = consumers.open("binlog-bridge-replayer-dump-" + session.connectionId(), 1);
        }
        return offset >= endReader.endOffsets(List.of(consumers.partition())).get(consumers.partition());
    }

    private void onRecord(RecordBlock block, int i) throws DumpRefusedException {
        BinlogRecord v = block.record(i);
        if (v.getKind() == RecordKind.TERM_START) {
            return; // no events: it only says where the term begins
        }
        if (v.getTerm() != term || !v.getFile().equals(sourceFile)) {
            if (v.getKind() != RecordKind.FILE_HEADER) {
                throw new DumpRefusedException("binlog-bridge: the log continues in " + v.getFile() + " at " + v.getStartPosition()
                        + " without that file's header record");
            }
            // A new file, maybe of a new term, under its presented name.
            splitter.reset();
            announce(index.presentedName(v.getTerm(), v.getFile(), file), v.getTerm(), v.getFile(),
                    v.getChecksum() == ChecksumAlgorithm.CRC32 ? BINLOG_CHECKSUM_ALG_CRC32 : BINLOG_CHECKSUM_ALG_OFF);
        }
        if (v.getKind() == RecordKind.TRANSACTION && v.getChunk() == 0) {
            skippingTransaction = excluded(v.getGtid());
        }
        if (v.getKind() == RecordKind.TRANSACTION && skippingTransaction) {
            if (v.getLastChunk()) {
                skippedUpTo = v.getEndPosition();
                position = v.getEndPosition();
            }
            return;
        }
        int length = block.eventsLength(i);
        splitter.feed(block.events(), block.eventsIndex(i), length, v.getEndPosition() - length, this::onEvent);
    }

    /** MySQL announces every file it opens with a fake ROTATE, in the previous file's checksum. */
    private void announce(String name, int newTerm, String newSourceFile, int checksumAlgorithm) {
        file = name;
        term = newTerm;
        sourceFile = newSourceFile;
        startPosition = BIN_LOG_HEADER_SIZE;
        expectFirstAtStart = false;
        position = BIN_LOG_HEADER_SIZE;
        send(ArtificialEvents.fakeRotate(serverId, file, BIN_LOG_HEADER_SIZE, eventChecksum == BINLOG_CHECKSUM_ALG_CRC32));
        eventChecksum = checksumAlgorithm;
    }

    private boolean excluded(String gtid) {
        if (gtid == null) {
            return false;
        }
        if (plan.excludeMySql() != null) {
            return plan.excludeMySql().contains(MySqlGtid.parse(gtid));
        }
        if (plan.excludeMariaDb() != null) {
            return plan.excludeMariaDb().contains(MariaDbGtid.parse(gtid));
        }
        return false;
    }

    private void onEvent(ByteBuf source, int index, int length, long eventStart) throws DumpRefusedException {
        long eventEnd = eventStart + length;
        if (eventStart < startPosition) {
            if (eventEnd > startPosition) {
                throw impossiblePosition(eventStart, eventEnd);
            }
            return;
        }
        if (expectFirstAtStart) {
            expectFirstAtStart = false;
            if (eventStart != startPosition) {
                throw impossiblePosition(eventStart, eventEnd);
            }
        }
        int type = source.getUnsignedByte(index + EVENT_TYPE_OFFSET);
        position = eventEnd;
        if (type == ANNOTATE_ROWS_EVENT && !sendAnnotateRows) {
            return;
        }
        if (skippedUpTo > 0) {
            sendHeartbeatForSkipped();
        }
        // An archived file's ROTATE already names the next file as the log presents it.
        if (type == ROTATE_EVENT && archive == null && (source.getUnsignedShortLE(index + FLAGS_OFFSET) & LOG_EVENT_ARTIFICIAL_F) == 0
                && sendRotate(source, index, length, eventStart)) {
            return;
        }
        if (archive != null) {
            packets.copiedEvent(source, index, length); // the archive reader reuses its buffer for the next event
        } else {
            packets.event(source, index, length);
        }
        lastSendNanos = System.nanoTime();
    }

    /**
     * A real ROTATE names the source's next file; when the log presents that file under another name (a later term),
     * sends the event renamed and returns true. Returns false when it can go as stored.
     */
    private boolean sendRotate(ByteBuf source, int index, int length, long eventStart) {
        byte[] event = new byte[length];
        source.getBytes(index, event);
        String named = RotateEvent.fileName(event, 0, eventChecksum);
        String target = this.index.rotateTarget(term, sourceFile, file, named);
        if (target.equals(named)) {
            return false;
        }
        byte[] renamed = RotateRewriter.rewrite(event, 0, length, target, eventChecksum == BINLOG_CHECKSUM_ALG_CRC32);
        send(renamed);
        position = eventStart + renamed.length;
        return true;
    }

    private DumpRefusedException impossiblePosition(long eventStart, long eventEnd) {
        return new DumpRefusedException("bogus data in log event; the first event '" + plan.fileName() + "' at "
                + plan.startPosition() + ", the last event read from '" + file + "' at " + eventStart
                + ", the last byte read from '" + file + "' at " + eventEnd + ".");
    }

    /** After skipped transactions, tells the replica how far the log went (as MySQL does). */
    private void sendHeartbeatForSkipped() {
        if (skippedUpTo > 0) {
            send(ArtificialEvents.heartbeat(serverId, file, skippedUpTo, eventChecksum == BINLOG_CHECKSUM_ALG_CRC32));
            skippedUpTo = 0;
        }
    }

    private void send(byte[] event) {
        packets.event(Unpooled.wrappedBuffer(event), 0, event.length);
        lastSendNanos = System.nanoTime();
    }

    /**
     * Hands what was framed to the event loop in one task: one wake-up and one flush per batch. On the event loop (a
     * block the index tail handed over), writes it there.
     */
    private void flush() {
        long bytes = packets.pendingBytes();
        if (bytes == 0) {
            return;
        }
        FramedPackets toWrite = packets.drain();
        bytesSent += bytes;
        session.stats().sent(bytes, file, position);
        int nextSequence = packets.sequence();
        if (channel.eventLoop().inEventLoop()) {
            channel.writeAndFlush(toWrite, channel.voidPromise());
            PacketSequence.of(channel).continueAt(nextSequence);
            return;
        }
        submitted.addAndGet(bytes);
        channel.eventLoop().execute(() -> {
            channel.writeAndFlush(toWrite, channel.voidPromise());
            PacketSequence.of(channel).continueAt(nextSequence);
            submitted.addAndGet(-bytes);
            // The dump thread may be waiting for this batch to reach the channel (awaitWritable).
            synchronized (writability) {
                writability.notifyAll();
            }
        });
    }

    private void awaitWritable() throws InterruptedException {
        while ((!channel.isWritable() || submitted.get() > 2L * BATCH_BYTES) && channel.isActive() && !stopped) {
            synchronized (writability) {
                if (!channel.isWritable() || submitted.get() > 2L * BATCH_BYTES) {
                    writability.wait(100);
                }
            }
        }
    }

    private void fail(int code, String message) {
        if (channel.isActive()) {
            ByteBuf err = ResponsePackets.err(channel.alloc(), code, MySqlConstants.SQLSTATE_GENERAL, message);
            packets.payload(err, err.readerIndex(), err.readableBytes());
            err.release();
            flush();
        }
        session.dumping(false);
    }
}
