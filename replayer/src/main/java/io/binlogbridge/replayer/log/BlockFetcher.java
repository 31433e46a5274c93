package io.binlogbridge.replayer.log;

import io.binlogbridge.schemas.BinlogRecordCodec;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.function.LongPredicate;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * One consumer of the {@link RecordBlockCache}, used by one thread at a time, that reads the log in blocks. As soon as a
 * fetch is back it polls the next one on another thread, while the calling thread copies the last into its blocks: the
 * socket read, checksums and parsing of fetch n+1 then overlap the copy of fetch n instead of following it. That is safe
 * because the consumer never reuses a response's memory: the values of the last poll stay valid during the next.
 */
final class BlockFetcher implements AutoCloseable {
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Consumer<ByteBuffer, ByteBuffer> consumer;
    private final TopicPartition partition;
    private final BinlogRecordCodec codec = new BinlogRecordCodec();
    private final IntFunction<ByteBuf> memory;
    private final int blockBytes;
    private final Executor pollAhead;
    private final LongPredicate worthPollingAhead;
    /** Where the consumer stands once the poll ahead (if any) is back; -1 when unknown. */
    private long position = -1;
    /** The poll of the records at {@link #position}, started while the last fetch was being copied; null for none. */
    private CompletableFuture<Polled> ahead;

    /**
     * @param consumer          assigned to the log's one partition; values read in place ({@link LogConsumers#openInPlace})
     * @param pollAhead         runs the poll of the next fetch
     * @param worthPollingAhead whether the log has committed records at an offset: a poll ahead at the log's end would
     *                          only hold the consumer for the broker's wait
     */
    BlockFetcher(Consumer<ByteBuffer, ByteBuffer> consumer, IntFunction<ByteBuf> memory, int blockBytes, Executor pollAhead,
            LongPredicate worthPollingAhead) {
        this.consumer = consumer;
        this.partition = consumer.assignment().iterator().next();
        this.memory = memory;
        this.blockBytes = blockBytes;
        this.pollAhead = pollAhead;
        this.worthPollingAhead = worthPollingAhead;
    }

    /** The offset the next {@link #read} can start at without a seek. */
    long position() {
        return position;
    }

    /** The blocks of the committed records from {@code offset} on, as many as one fetch brings (at least one). */
    List<RecordBlock> read(long offset) {
        Polled polled = takeAhead(offset);
        if (polled == null) {
            if (position != offset) {
                consumer.seek(partition, offset);
            }
            polled = pollFrom(offset);
        }
        position = polled.next;
        if (worthPollingAhead.test(position)) {
            try {
                ahead = CompletableFuture.supplyAsync(() -> new Polled(consumer.poll(POLL), consumer.position(partition)), pollAhead);
            } catch (RejectedExecutionException e) {
                // The replayer is stopping: these records are still worth their block.
            }
        }
        return RecordBlock.split(offset, polled.next, polled.records, codec, memory, blockBytes);
    }

    /**
     * The poll ahead, once back, if it was of {@code offset} and brought records; null otherwise, with the consumer
     * positioned as it left it. A poll ahead that failed is forgotten: the caller's own poll meets the cause again.
     */
    private Polled takeAhead(long offset) {
        CompletableFuture<Polled> pending = ahead;
        if (pending == null) {
            return null;
        }
        ahead = null;
        Polled polled;
        try {
            polled = pending.join();
        } catch (RuntimeException e) {
            position = -1;
            return null;
        }
        if (position != offset || (polled.records.isEmpty() && polled.next == offset)) {
            // Another block was wanted (the records polled are dropped), or the log had nothing committed there yet.
            position = polled.next;
            return null;
        }
        return polled;
    }

    private Polled pollFrom(long offset) {
        long deadline = System.nanoTime() + FETCH_TIMEOUT.toNanos();
        while (true) {
            ConsumerRecords<ByteBuffer, ByteBuffer> fetched = consumer.poll(POLL);
            long next = consumer.position(partition);
            // Nothing but transaction markers at offset is a block too: an empty one that moves the reader on.
            if (!fetched.isEmpty() || next > offset) {
                return new Polled(fetched.records(partition), next);
            }
            if (System.nanoTime() > deadline) {
                position = -1;
                throw new IllegalStateException("no committed record at or after offset " + offset + " within "
                        + TimeUnit.NANOSECONDS.toSeconds(FETCH_TIMEOUT.toNanos()) + " s although the log index has one");
            }
        }
    }

    /** Stops the poll ahead, if one runs, and closes the consumer. */
    @Override
    public void close() {
        CompletableFuture<Polled> pending = ahead;
        ahead = null;
        if (pending != null) {
            consumer.wakeup();
            // Even when interrupted (the replayer stopping its fetch threads), for the consumer cannot close while it polls.
            boolean interrupted = false;
            long deadline = System.nanoTime() + FETCH_TIMEOUT.toNanos();
            while (true) {
                try {
                    pending.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    break;
                } catch (ExecutionException | TimeoutException e) {
                    // Woken up, or failed: either way nothing waits for these records any more. A poll that never ran
                    // (its executor stopped) does not keep the consumer from closing either.
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(1)));
    }

    private record Polled(List<ConsumerRecord<ByteBuffer, ByteBuffer>> records, long next) {
        Polled(ConsumerRecords<ByteBuffer, ByteBuffer> fetched, long next) {
            this(fetched.isEmpty() ? List.of() : fetched.records(fetched.partitions().iterator().next()), next);
        }
    }
}
