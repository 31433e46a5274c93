package io.binlogbridge.replayer.log;

import io.binlogbridge.schemas.BinlogRecordCodec;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * The committed part of the log, read from Kafka once for all dumps. Fifty replicas catching up over
 * the same history would otherwise make the broker send it fifty times and the replayer receive,
 * check and decode it fifty times; here the first dump to need a block fetches it (the others that
 * want it meanwhile wait for that fetch), and every dump then streams the same off-heap copy. One fetch
 * may bring several blocks: a round trip to the broker costs more than a block boundary. Blocks
 * are evicted least recently used beyond {@code capacityBytes}; a dump still streaming an evicted
 * block keeps it alive until it is done. Those blocks count against the capacity until they are freed, so the
 * off-heap total stays within the capacity plus about one block per dump (the one each streams), plus up to four
 * spare block buffers kept for the next fetches ({@link BlockBuffers}). A block's memory also outlives the block
 * while slices of it are on their way to a client (dumps send long events from the block, not copies); the
 * channel's write limit bounds those to about a megabyte of events per dump.
 *
 * <p>Only the indexed part of the log is served from here: at the log's end a dump tails the topic
 * with a consumer of its own, which wakes up as soon as a transaction commits.
 */
public final class RecordBlockCache implements AutoCloseable {
    private final Supplier<Consumer<ByteBuffer, ByteBuffer>> openConsumer;
    private final LogIndex index;
    private final long capacityBytes;
    private final int blockBytes;
    private final BlockBuffers memory;
    private final TreeMap<Long, RecordBlock> blocks = new TreeMap<>();
    private final Map<RecordBlock, Long> lastUse = new HashMap<>();
    /** The fetches under way, by the offset each reads from. */
    private final TreeMap<Long, CompletableFuture<RecordBlock>> loading = new TreeMap<>();
    private final Deque<BlockFetcher> idleFetchers = new ArrayDeque<>();
    /** Runs the next fetch after the blocks a dump is streaming, while it streams them. */
    private final ExecutorService readAhead;
    /** How many blocks past the one a dump takes are read ahead: a whole fetch's. */
    private final int readAheadBlocks;
    /**
     * Runs the fetches dumps wait for. Never the dump threads themselves: the JDK keeps, per thread that reads a
     * socket into a heap buffer, a temporary direct buffer as big as the biggest read (a whole fetch), so fifty dump
     * threads fetching 4 MiB each would pin 200 MiB of direct memory (ReplayerFanOutTest ran out of it).
     */
    private final ExecutorService fetchThreads;
    /** Poll the next fetch of each fetcher while it copies its last ({@link BlockFetcher}). */
    private final ExecutorService pollAhead;
    private int fetchersLeft;
    /** How many offsets the last fetch of the log's history spanned: how far a fetch under way likely reaches. */
    private long lastFetchSpan;
    private long uses;
    private long cachedBytes;
    /** Evicted blocks that dumps still stream: off-heap until the last of them releases it. */
    private long heldAfterEvictionBytes;
    private long hits;
    private long waits;
    private long fetches;
    private long fetchedBytes;
    private boolean closed;

    /**
     * @param blockBytes the most event bytes of a block (unless one record alone is longer): what a dump streaming a block
     *     pins off-heap
     * @param blocksPerFetch how many blocks one fetch from Kafka asks for: a fetch costs a round trip to the broker
     */
    public RecordBlockCache(LogConsumers consumers, LogIndex index, long capacityBytes, int blockBytes, int blocksPerFetch,
            int fetchers, ByteBufAllocator alloc) {
        this(() -> consumers.openInPlace("binlog-bridge-replayer-blocks", Math.multiplyExact(blockBytes, blocksPerFetch)), index,
                capacityBytes, blockBytes, blocksPerFetch, fetchers, alloc);
    }

    /** As above, each fetcher reading with a consumer of {@code openConsumer}, assigned to the log's partition. */
    RecordBlockCache(Supplier<Consumer<ByteBuffer, ByteBuffer>> openConsumer, LogIndex index, long capacityBytes, int blockBytes,
            int blocksPerFetch, int fetchers, ByteBufAllocator alloc) {
        this.openConsumer = openConsumer;
        this.index = index;
        this.capacityBytes = capacityBytes;
        this.blockBytes = blockBytes;
        this.readAheadBlocks = blocksPerFetch;
        this.fetchersLeft = fetchers;
        // Spares: the blocks evicted while the next ones are fetched, so that streaming reuses memory in a steady state.
        this.memory = new BlockBuffers(blockBytes, 4, alloc);
        this.fetchThreads = Executors.newFixedThreadPool(fetchers, r -> {
            Thread t = new Thread(r, "log-fetch");
            t.setDaemon(true);
            return t;
        });
        this.readAhead = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "log-read-ahead");
            t.setDaemon(true);
            return t;
        });
        this.pollAhead = Executors.newFixedThreadPool(fetchers, r -> {
            Thread t = new Thread(r, "log-poll-ahead");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The block holding {@code offset}, retained for the caller (who releases it), or null when
     * {@code offset} is at or past the end of the indexed log.
     */
    public RecordBlock blockAt(long offset) throws InterruptedException {
        boolean failedBefore = false;
        while (true) {
            CompletableFuture<RecordBlock> pending;
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("the replayer is stopping");
                }
                RecordBlock cached = cachedAt(offset);
                if (cached != null) {
                    hits++;
                    readAheadAfter(cached);
                    return use(cached);
                }
                if (offset >= index.nextOffset()) {
                    return null;
                }
                pending = fetchUnderWay(offset);
                if (pending == null) {
                    pending = startFetch(offset, fetchThreads, true);
                } else {
                    waits++;
                }
            }
            try {
                pending.get();
            } catch (ExecutionException e) {
                // The shared fetch (a read-ahead or another dump's) failed: try once more with a new fetch.
                if (failedBefore) {
                    throw new IllegalStateException("reading the log at offset " + offset + " failed: " + e.getCause(), e.getCause());
                }
                failedBefore = true;
                continue;
            }
            synchronized (this) {
                // Retaining is safe only while the cache still holds its own reference.
                RecordBlock fetched = cachedAt(offset);
                if (fetched != null) {
                    readAheadAfter(fetched);
                    return use(fetched);
                }
                // Evicted already, or the fetch waited for ended before offset: look again.
            }
        }
    }

    /**
     * The fetch under way that should bring {@code offset}: the one reading from it, or else the last one started before
     * it, if the last fetch's span says it reaches that far. Then a dump a block ahead of another waits for the fetch
     * the other started rather than fetching the same records again; the guess costs at most one fetch's wait.
     */
    private CompletableFuture<RecordBlock> fetchUnderWay(long offset) {
        Map.Entry<Long, CompletableFuture<RecordBlock>> before = loading.floorEntry(offset);
        if (before == null) {
            return null;
        }
        return before.getKey() == offset || offset - before.getKey() < lastFetchSpan ? before.getValue() : null;
    }

    /**
     * Registers the fetch of the block at {@code offset} and runs it on {@code threads}; the future completes with the
     * block once it is in the cache, or with the fetch's error. Called holding the cache's lock.
     */
    private CompletableFuture<RecordBlock> startFetch(long offset, ExecutorService threads, boolean thenReadAhead) {
        CompletableFuture<RecordBlock> pending = new CompletableFuture<>();
        loading.put(offset, pending);
        threads.execute(() -> {
            try {
                fetchAndShare(offset, pending, thenReadAhead);
            } catch (InterruptedException | RuntimeException | Error e) {
                // The dumps waiting for this block get the error from the future.
            }
        });
        return pending;
    }

    private void fetchAndShare(long offset, CompletableFuture<RecordBlock> pending, boolean thenReadAhead)
            throws InterruptedException {
        List<RecordBlock> fetched;
        try {
            fetched = fetch(offset);
        } catch (RuntimeException | Error | InterruptedException e) {
            // Whatever went wrong (out of direct memory included), the dumps waiting for this block must hear of it.
            synchronized (this) {
                loading.remove(offset);
            }
            pending.completeExceptionally(e);
            throw e;
        }
        RecordBlock first = fetched.get(0);
        synchronized (this) {
            loading.remove(offset);
            fetches++;
            lastFetchSpan = fetched.get(fetched.size() - 1).nextOffset() - offset;
            for (RecordBlock block : fetched) {
                fetchedBytes += block.bytes();
                blocks.put(block.firstOffset(), block);
                cachedBytes += block.bytes();
                touch(block);
            }
            evictBeyondCapacity(fetched);
            if (thenReadAhead) {
                readAheadAfter(first);
            }
        }
        pending.complete(first);
    }

    /**
     * Starts fetching the first block missing among the {@link #readAheadBlocks} that follow {@code block}, unless it
     * is on its way or not in the indexed log yet: a dump streaming history then finds its next blocks ready instead of
     * waiting a round trip, and the next fetch runs while it streams the blocks of the last one.
     */
    private void readAheadAfter(RecordBlock block) {
        long next = block.nextOffset();
        for (int ahead = 0; ahead < readAheadBlocks; ahead++) {
            RecordBlock cached = cachedAt(next);
            if (cached == null) {
                if (!closed && next < index.nextOffset() && fetchUnderWay(next) == null) {
                    startFetch(next, readAhead, false);
                }
                return;
            }
            next = cached.nextOffset();
        }
    }

    private RecordBlock cachedAt(long offset) {
        Map.Entry<Long, RecordBlock> cached = blocks.floorEntry(offset);
        return cached != null && cached.getValue().contains(offset) ? cached.getValue() : null;
    }

    private RecordBlock use(RecordBlock block) {
        touch(block);
        return block.retain();
    }

    /** Marks the block as the most recently used (eviction is least recently used first). */
    private void touch(RecordBlock block) {
        lastUse.put(block, ++uses);
    }

    private void evictBeyondCapacity(List<RecordBlock> keep) {
        while (cachedBytes + heldAfterEvictionBytes > capacityBytes && blocks.size() > keep.size()) {
            RecordBlock oldest = null;
            long oldestUse = Long.MAX_VALUE;
            for (Map.Entry<RecordBlock, Long> e : lastUse.entrySet()) {
                if (e.getValue() < oldestUse && !keep.contains(e.getKey())) {
                    oldest = e.getKey();
                    oldestUse = e.getValue();
                }
            }
            if (oldest == null) {
                return;
            }
            drop(oldest);
        }
    }

    private void drop(RecordBlock block) {
        blocks.remove(block.firstOffset());
        lastUse.remove(block);
        int bytes = block.bytes();
        cachedBytes -= bytes;
        heldAfterEvictionBytes += bytes;
        block.whenFreed(() -> freed(bytes));
        block.release();
    }

    private synchronized void freed(int bytes) {
        heldAfterEvictionBytes -= bytes;
    }

    private List<RecordBlock> fetch(long offset) throws InterruptedException {
        BlockFetcher fetcher = takeFetcher(offset);
        try {
            return fetcher.read(offset);
        } catch (RuntimeException e) {
            fetcher.close();
            fetcher = null;
            throw e;
        } finally {
            giveBack(fetcher);
        }
    }

    private synchronized BlockFetcher takeFetcher(long offset) throws InterruptedException {
        while (true) {
            // The fetcher that just read the block before this one has its next fetch under way already.
            for (BlockFetcher f : idleFetchers) {
                if (f.position() == offset) {
                    idleFetchers.remove(f);
                    return f;
                }
            }
            if (fetchersLeft > 0) {
                fetchersLeft--;
                try {
                    return new BlockFetcher(openConsumer.get(), memory::allocate, blockBytes, pollAhead, o -> o < index.nextOffset());
                } catch (RuntimeException e) {
                    fetchersLeft++;
                    throw e;
                }
            }
            if (!idleFetchers.isEmpty()) {
                return idleFetchers.pollFirst();
            }
            wait();
        }
    }

    private synchronized void giveBack(BlockFetcher fetcher) {
        if (fetcher == null) {
            fetchersLeft++;
        } else if (closed) {
            fetcher.close();
        } else {
            idleFetchers.addFirst(fetcher);
        }
        notifyAll();
    }

    /**
     * The cache's counters since start, for metrics.
     *
     * @param fetches blocks fetched from Kafka
     * @param fetchedBytes bytes of the records those fetches returned
     * @param hits blocks a dump found in memory
     * @param waits blocks a dump took from another dump's fetch in progress
     * @param cachedBytes off-heap bytes held now
     * @param blocks blocks held now
     * @param heldAfterEvictionBytes off-heap bytes of evicted blocks that dumps still stream
     */
    public record Stats(long fetches, long fetchedBytes, long hits, long waits, long cachedBytes, int blocks,
            long heldAfterEvictionBytes) {}

    public synchronized Stats snapshot() {
        return new Stats(fetches, fetchedBytes, hits, waits, cachedBytes, blocks.size(), heldAfterEvictionBytes);
    }

    /** What was fetched from Kafka and what the dumps got without a fetch of their own: for the log. */
    public synchronized String stats() {
        return fetches + " fetched from Kafka (" + fetchedBytes + " bytes), " + hits + " found in memory, " + waits
                + " taken from another dump's fetch; " + (cachedBytes >> 20) + " MiB held in " + blocks.size() + " blocks, "
                + (heldAfterEvictionBytes >> 20) + " MiB in evicted blocks dumps still stream; block buffers: " + memory.stats();
    }

    @Override
    public void close() {
        readAhead.shutdownNow();
        fetchThreads.shutdownNow();
        // Not shutdownNow: a poll ahead dropped from the queue would never complete, and its fetcher could not close.
        pollAhead.shutdown();
        synchronized (this) {
            closed = true;
            for (RecordBlock b : blocks.values().toArray(new RecordBlock[0])) {
                drop(b);
            }
            for (BlockFetcher f : idleFetchers) {
                f.close();
            }
            idleFetchers.clear();
        }
    }
}
