package io.binlogbridge.it.replayer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.network.ServerException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A BinaryLogClient dump from a replayer, as a CDC client of that server id runs it, with what tests wait for: its
 * first event, the server's refusal (ERR), the server ending it.
 */
final class BinaryLogDump implements AutoCloseable {
    private final BinaryLogClient client;
    private final CountDownLatch event = new CountDownLatch(1);
    private final CountDownLatch failed = new CountDownLatch(1);
    private final CountDownLatch disconnected = new CountDownLatch(1);
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    private BinaryLogDump(BinaryLogClient client) {
        this.client = client;
    }

    /** A GTID dump (auto-position) from {@code gtidSet}. */
    static BinaryLogDump fromGtids(ReplayerProcess replayer, long serverId, String gtidSet) throws Exception {
        BinaryLogClient client = client(replayer, serverId);
        client.setGtidSet(gtidSet);
        return connect(client);
    }

    /** A file/position dump; an empty file name is the log's first file. */
    static BinaryLogDump fromPosition(ReplayerProcess replayer, long serverId, String file, long position) throws Exception {
        BinaryLogClient client = client(replayer, serverId);
        client.setBinlogFilename(file);
        client.setBinlogPosition(position);
        return connect(client);
    }

    private static BinaryLogClient client(ReplayerProcess replayer, long serverId) {
        BinaryLogClient client = new BinaryLogClient("127.0.0.1", replayer.port(), ReplayerProcess.USER, ReplayerProcess.PASSWORD);
        client.setServerId(serverId);
        client.setKeepAlive(false);
        return client;
    }

    private static BinaryLogDump connect(BinaryLogClient client) throws Exception {
        BinaryLogDump d = new BinaryLogDump(client);
        client.registerEventListener(e -> d.event.countDown());
        client.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
            @Override
            public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
                d.failure.compareAndSet(null, ex);
                d.failed.countDown();
            }

            @Override
            public void onDisconnect(BinaryLogClient c) {
                d.disconnected.countDown();
            }
        });
        client.connect(TimeUnit.SECONDS.toMillis(30));
        return d;
    }

    void awaitEvent() throws InterruptedException {
        assertTrue(event.await(30, TimeUnit.SECONDS), "no event received");
    }

    /** The server's ERR that ended the dump; the client is disconnected. */
    ServerException awaitFailure() throws Exception {
        try {
            assertTrue(failed.await(30, TimeUnit.SECONDS), "the dump was not refused");
            Exception e = failure.get();
            assertTrue(e instanceof ServerException, "expected the server's ERR, got " + e);
            return (ServerException) e;
        } finally {
            client.disconnect();
        }
    }

    void awaitDisconnected() throws InterruptedException {
        assertTrue(disconnected.await(30, TimeUnit.SECONDS), "the dump was not ended");
    }

    @Override
    public void close() throws Exception {
        client.disconnect();
    }
}
