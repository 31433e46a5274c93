package io.binlogbridge.it.cdc;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.debezium.embedded.Connect;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Debezium's MySQL connector in its embedded engine, default snapshot mode, against one server; keeps the change events
 * it emits as "table op before → after" lines (schema changes and tombstones left out), which compare across servers.
 */
final class DebeziumCapture implements AutoCloseable {
    private final List<String> events = new ArrayList<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private volatile Throwable failure;

    DebeziumCapture(String name, int port, String user, String password, int serverId, String databases) {
        Properties p = properties(name, port, user, password, serverId, databases);
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(p)
                .notifying(event -> record(event.record()))
                .using((success, message, error) -> {
                    if (!success) {
                        failure = error != null ? error : new IllegalStateException(message);
                    }
                })
                .build();
        thread.execute(engine);
    }

    /** The MySQL connector's settings for one server, offsets and schema history in memory. */
    static Properties properties(String name, int port, String user, String password, int serverId, String databases) {
        Properties p = new Properties();
        p.setProperty("name", name);
        p.setProperty("connector.class", "io.debezium.connector.mysql.MySqlConnector");
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        p.setProperty("offset.flush.interval.ms", "100");
        p.setProperty("schema.history.internal", "io.debezium.relational.history.MemorySchemaHistory");
        p.setProperty("database.hostname", "127.0.0.1");
        p.setProperty("database.port", Integer.toString(port));
        p.setProperty("database.user", user);
        p.setProperty("database.password", password);
        p.setProperty("database.server.id", Integer.toString(serverId));
        p.setProperty("database.ssl.mode", "disabled");
        p.setProperty("topic.prefix", name);
        p.setProperty("database.include.list", databases);
        p.setProperty("include.schema.changes", "false");
        return p;
    }

    private void record(SourceRecord r) {
        String line = ChangeEventLines.of(r);
        if (line == null) {
            return;
        }
        synchronized (events) {
            events.add(line);
        }
    }

    List<String> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** Waits until {@code count} events arrived (fails early if the engine stopped with an error). */
    List<String> awaitEvents(int count, Duration timeout, Supplier<String> context) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (events().size() < count) {
            if (failure != null) {
                throw new AssertionError("Debezium stopped: " + failure + "\n" + context.get(), failure);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Debezium emitted " + events().size() + " of " + count + " events: " + events()
                        + "\n" + context.get());
            }
            Thread.sleep(100);
        }
        return events();
    }

    @Override
    public void close() throws IOException {
        engine.close();
        thread.shutdown();
    }
}
