package io.binlogbridge.it.reader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.Processes;
import io.binlogbridge.it.fixtures.SourceDatabase;
import io.binlogbridge.it.support.Cleanup;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import io.binlogbridge.reader.MissingHistoryException;
import io.binlogbridge.reader.StartPosition;
import io.binlogbridge.reader.TopicReader;
import io.binlogbridge.reader.TopicReaderConfig;
import io.binlogbridge.reader.Transaction;
import io.binlogbridge.it.fixtures.TestDirs;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.io.Serializable;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 14, the Java reader: a real source → relay-server → Kafka → TopicReader. What the reader yields is compared
 * with what mysql-binlog-connector-java's BinaryLogClient receives from the source itself, event for event.
 * Subclasses give the source (MySQL, MariaDB); the servers are shared by the scenarios.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ReaderScenarios {
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(1);
    /** Rows in single-statement transactions after the hand-written ones: enough for many polls of a small fetch. */
    private static final int SMALL_TRANSACTIONS = 60;

    private KafkaBroker kafka;
    private SourceDatabase source;
    private RelayProcess relay;
    /** The events BinaryLogClient received from the source, those of transactions only, split by transaction. */
    private List<List<Event>> sourceTransactions;
    private List<String> sourceGtids;
    private String sourceGtidState;
    private String workloadEndFile;
    private long workloadEndPosition;

    abstract SourceDatabase startSource();

    abstract String topic();

    /** A GTID start that holds exactly {@code gtids} (MySQL: a set; MariaDB: a position, so a prefix of the log). */
    abstract String gtidStartOf(List<String> gtids);

    /** A GTID start that holds exactly {@code gtids}, a prefix of the log. */
    abstract String prefixStartOf(List<String> gtids);

    /** Whether {@code readerState} (a reader position's GTID state) is {@code sourceState} ({@link SourceDatabase#gtidExecuted()}). */
    abstract void assertSameGtidState(String sourceState, String readerState);

    @BeforeAll
    void startPipeline() throws Exception {
        kafka = KafkaBroker.launch();
        source = startSource();
        source.createReplicationUser("repl", "repl-Secret1");
        source.execute("CREATE DATABASE rd",
                "CREATE TABLE rd.items (id INT PRIMARY KEY, name VARCHAR(20), qty INT)",
                "CREATE TABLE rd.audit (id INT PRIMARY KEY, note VARCHAR(20))",
                "CREATE TABLE rd.blobs (id INT PRIMARY KEY, b LONGBLOB)",
                "INSERT INTO rd.items VALUES (1, 'alpha', 10)",
                "BEGIN",
                "INSERT INTO rd.items VALUES (2, 'beta', 20)",
                "UPDATE rd.items SET qty = 11 WHERE id = 1",
                "INSERT INTO rd.audit VALUES (1, 'first')",
                "COMMIT",
                "DELETE FROM rd.items WHERE id = 2",
                "ALTER TABLE rd.items ADD COLUMN price INT",
                // What the example in docs/reader.md prints.
                "CREATE DATABASE shop",
                "CREATE TABLE shop.orders (id INT PRIMARY KEY, item VARCHAR(20))",
                "INSERT INTO shop.orders VALUES (7, 'book')");
        source.flushBinaryLogs();
        // Bigger than the relay's 256 KiB chunks: the topic holds it in several records.
        source.execute("INSERT INTO rd.blobs VALUES (1, REPEAT('z', 700000))", "INSERT INTO rd.audit VALUES (2, 'second')");
        String[] small = new String[SMALL_TRANSACTIONS];
        for (int i = 0; i < small.length; i++) {
            small[i] = "INSERT INTO rd.items VALUES (" + (100 + i) + ", 'n" + i + "', " + i + ", " + i + ")";
        }
        source.execute(small);
        sourceGtidState = source.gtidExecuted();
        workloadEndFile = source.currentBinlogFile();
        workloadEndPosition = source.currentBinlogPosition();
        relay = RelayProcess.of(source, "repl", "repl-Secret1", 4301, kafka.bootstrap(), topic()).start();
        awaitRelayed(relay, topic());
        String firstFile = source.binlogFiles().get(0).getFileName().toString();
        List<Event> direct = BinlogEvents.ofTransactions(BinlogEvents.fromSource(source.host(), source.port(), "root", "", firstFile));
        sourceTransactions = byTransaction(direct);
        sourceGtids = BinlogEvents.gtids(direct);
        assertTrue(sourceGtids.size() > SMALL_TRANSACTIONS + 8, "transactions from the source: " + sourceGtids.size());
        assertEquals(sourceGtids.size(), sourceTransactions.size(), "every transaction starts with a GTID event");
    }

    private void awaitRelayed(RelayProcess relay, String topic) {
        try (TopicContents contents = new TopicContents(kafka.bootstrap(), topic)) {
            contents.pollUntil(TopicContents.reached(workloadEndFile, workloadEndPosition), Duration.ofMinutes(2),
                    "relay to reach " + workloadEndFile + ":" + workloadEndPosition);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nrelay log:\n" + Processes.tail(relay.logFile(), 60), e);
        }
    }

    @AfterAll
    void stopPipeline() {
        Cleanup.closeAll(relay, source, kafka);
    }

    private static List<List<Event>> byTransaction(List<Event> events) {
        List<List<Event>> transactions = new ArrayList<>();
        for (Event e : events) {
            if (BinlogEvents.gtid(e) != null) {
                transactions.add(new ArrayList<>());
            }
            transactions.get(transactions.size() - 1).add(e);
        }
        return transactions;
    }

    private TopicReaderConfig.Builder config(StartPosition start) {
        return TopicReaderConfig.builder().bootstrapServers(kafka.bootstrap()).topic(topic()).start(start);
    }

    /** Polls until the reader returned the last transaction the workload wrote; returns what it returned up to there. */
    private List<Transaction> readToWorkloadEnd(TopicReader reader) {
        List<Transaction> got = readUntil(reader, t -> t.stream().anyMatch(x -> lastGtid().equals(x.gtid())));
        int end = gtids(got).indexOf(lastGtid());
        assertEquals(got.size() - 1, end, "nothing after the workload's last transaction yet (the live scenario runs last)");
        return got;
    }

    private static List<Transaction> readUntil(TopicReader reader, Predicate<List<Transaction>> done) {
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        List<Transaction> got = new ArrayList<>();
        while (!done.test(got)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("reader returned " + got.size() + " transactions in " + READ_TIMEOUT + ", last "
                        + (got.isEmpty() ? "none" : got.get(got.size() - 1)));
            }
            got.addAll(reader.poll(Duration.ofMillis(500)));
        }
        return got;
    }

    private String lastGtid() {
        return sourceGtids.get(sourceGtids.size() - 1);
    }

    private static List<String> gtids(List<Transaction> transactions) {
        return transactions.stream().map(Transaction::gtid).toList();
    }

    /**
     * The reader's events as text, without MariaDB's ANNOTATE_ROWS: the relay asks for them (the topic holds the
     * source's file byte for byte), a BinaryLogClient does not, so the source never sends it them.
     */
    private static List<String> describe(List<Transaction> transactions) {
        return transactions.stream().flatMap(t -> t.events().stream()).filter(e -> e.getHeader().getEventType() != EventType.ANNOTATE_ROWS)
                .map(BinlogEvents::describe).toList();
    }

    @Test
    void yieldsExactlyTheEventsBinaryLogClientReceivesFromTheSource() throws Exception {
        List<Transaction> all;
        String positionGtids;
        try (TopicReader reader = new TopicReader(config(StartPosition.beginning()).build())) {
            all = readToWorkloadEnd(reader);
            positionGtids = ((StartPosition.Resume) reader.position()).position().gtids();
        }
        assertEquals(sourceGtids, gtids(all), "every GTID once, in the source's order");
        assertEquals(BinlogEvents.describe(sourceTransactions.stream().flatMap(List::stream).toList()), describe(all),
                "decoded events, header and data");
        assertSameGtidState(sourceGtidState, positionGtids);

        Transaction multi = containing(all, e -> e.getData() instanceof UpdateRowsEventData);
        assertEquals(List.of("[[2, beta, 20]]", "[[1, alpha, 10]]->[[1, alpha, 11]]", "[[1, first]]"), rowValues(multi),
                "the multi-statement transaction's rows, in order");
        assertEquals(List.of("rd.items", "rd.items", "rd.audit"), multi.events().stream().map(BinlogEvents::mappedTable)
                .filter(t -> t != null).toList());
        Transaction delete = all.get(all.indexOf(multi) + 1);
        assertEquals(List.of("delete [[2, beta, 20]]"), rowValues(delete).stream().map(r -> "delete " + r).toList());
        Transaction ddl = containing(all, e -> e.getData() instanceof QueryEventData q && q.getSql().contains("ADD COLUMN price"));
        assertEquals(all.indexOf(delete) + 1, all.indexOf(ddl), "the DDL right after the delete");
        Transaction blob = containing(all, e -> e.getData() instanceof TableMapEventData t && t.getTable().equals("blobs"));
        assertTrue(blob.size() > 2 * 256 * 1024, "the blob transaction spans several chunks: " + blob.size());
        WriteRowsEventData blobRow = (WriteRowsEventData) blob.events().stream().filter(e -> e.getData() instanceof WriteRowsEventData)
                .findFirst().orElseThrow().getData();
        assertEquals(700000, ((byte[]) blobRow.getRows().get(0)[1]).length, "the 700000-byte value decoded whole");
        assertTrue(!ddl.file().equals(blob.file()), "the workload rotated between the DDL and the blob");

        // Raw bytes: exactly the source's binlog file between the transaction's positions.
        Map<String, byte[]> files = new HashMap<>();
        for (Path p : source.binlogFiles()) {
            files.put(p.getFileName().toString(), Files.readAllBytes(p));
        }
        for (Transaction t : all) {
            byte[] raw = new byte[t.size()];
            t.rawEvents().get(raw);
            byte[] file = files.get(t.sourceFile());
            assertArrayEquals(Arrays.copyOfRange(file, (int) t.startPosition(), (int) t.endPosition()), raw, "raw bytes of " + t);
        }
    }

    @Test
    void aGtidStartReturnsExactlyTheTransactionsAfterIt() {
        List<String> skipped = new ArrayList<>(sourceGtids.subList(0, 9));
        String start = gtidStartOf(skipped);
        List<String> expected = sourceGtids.stream().filter(g -> !skipped.contains(g)).toList();
        try (TopicReader reader = new TopicReader(config(StartPosition.gtidSet(start)).build())) {
            assertEquals(expected, gtids(readToWorkloadEnd(reader)), "start " + start);
        }
    }

    @Test
    @Order(Integer.MAX_VALUE) // writes to the source, after which the log is longer than the other scenarios expect
    void aReaderAtTheEndReturnsNewTransactionsAsTheRelayWritesThem() {
        try (TopicReader reader = new TopicReader(config(StartPosition.beginning()).build())) {
            readToWorkloadEnd(reader);
            source.execute("UPDATE rd.items SET qty = 99 WHERE id = 1");
            List<Transaction> next = readUntil(reader, t -> !t.isEmpty());
            assertEquals(1, next.size(), "the one new transaction: " + next);
            assertTrue(!sourceGtids.contains(next.get(0).gtid()), "a new GTID: " + next.get(0).gtid());
            assertSameGtidState(source.gtidExecuted(), ((StartPosition.Resume) reader.position()).position().gtids());
            assertEquals(List.of("[[1, alpha, 11, null]]->[[1, alpha, 99, null]]"), rowValues(next.get(0)));
        }
    }

    @Test
    void aGtidStartTheLogBeganAfterIsRefusedAndOneAtItsStartServed() {
        // A log of its own that a relay began at the source's second file: it never held the first file's transactions.
        String secondFile = source.binlogFiles().get(1).getFileName().toString();
        String lateTopic = topic() + "-late";
        List<String> held;
        try (RelayProcess late = RelayProcess.of(source, "repl", "repl-Secret1", 4303, kafka.bootstrap(), lateTopic,
                "--start", "file:" + secondFile + ":4").start()) {
            awaitRelayed(late, lateTopic);
        }
        try (TopicReader reader = new TopicReader(config(StartPosition.beginning()).topic(lateTopic).build())) {
            held = gtids(readToWorkloadEnd(reader));
        }
        int firstHeld = sourceGtids.indexOf(held.get(0));
        assertTrue(firstHeld > 3, "the late log starts after the first file: " + held.get(0));
        assertEquals(sourceGtids.subList(firstHeld, sourceGtids.size()), held);

        String tooEarly = prefixStartOf(sourceGtids.subList(0, 3));
        try (TopicReader reader = new TopicReader(config(StartPosition.gtidSet(tooEarly)).topic(lateTopic).build())) {
            MissingHistoryException e = assertThrows(MissingHistoryException.class, () -> readToWorkloadEnd(reader), "start " + tooEarly);
            assertTrue(e.getMessage().contains(tooEarly), e.getMessage());
        }
        String atItsStart = prefixStartOf(sourceGtids.subList(0, firstHeld));
        try (TopicReader reader = new TopicReader(config(StartPosition.gtidSet(atItsStart)).topic(lateTopic).build())) {
            assertEquals(held, gtids(readToWorkloadEnd(reader)), "start " + atItsStart);
        }
    }

    @Test
    void resumingFromAReturnedPositionLosesAndRepeatsNothing() {
        List<String> first;
        String saved;
        // Few records a poll, so the position is taken in the middle of the log (and, with the chunked blob, maybe in
        // the middle of a transaction).
        try (TopicReader reader = new TopicReader(config(StartPosition.beginning()).consumerProperty("max.poll.records", 3).build())) {
            first = gtids(readUntil(reader, got -> got.size() >= sourceGtids.size() / 2));
            saved = reader.position().toString();
        }
        assertTrue(first.size() < sourceGtids.size(), "the first reader stopped before the end: " + first.size());
        List<String> rest;
        try (TopicReader reader = new TopicReader(config(StartPosition.parse(saved)).build())) {
            rest = gtids(readToWorkloadEnd(reader));
        }
        List<String> together = new ArrayList<>(first);
        together.addAll(rest);
        assertEquals(sourceGtids, together, "resumed at " + saved);
    }

    @Test
    void aFilePositionOrTimestampStartBeginsAtThatTransaction() {
        List<Transaction> all;
        try (TopicReader reader = new TopicReader(config(StartPosition.beginning()).decodeEvents(false).build())) {
            all = readToWorkloadEnd(reader);
        }
        Transaction blob = all.stream().filter(t -> t.size() > 256 * 1024).findFirst().orElseThrow();
        int at = all.indexOf(blob);
        try (TopicReader reader = new TopicReader(config(StartPosition.filePosition(blob.file(), blob.startPosition())).build())) {
            assertEquals(sourceGtids.subList(at, sourceGtids.size()), gtids(readToWorkloadEnd(reader)), "from " + blob);
        }
        Instant last = all.get(all.size() - 1).timestamp();
        int firstThatLate = 0;
        while (all.get(firstThatLate).timestamp().isBefore(last)) {
            firstThatLate++;
        }
        try (TopicReader reader = new TopicReader(config(StartPosition.timestamp(last)).decodeEvents(false).build())) {
            assertEquals(sourceGtids.subList(firstThatLate, sourceGtids.size()), gtids(readToWorkloadEnd(reader)), "from " + last);
        }
    }

    @Test
    void tableFiltersYieldExactlyTheMatchingSubset() {
        List<String> expectedEvents = new ArrayList<>();
        List<String> expectedGtids = new ArrayList<>();
        for (List<Event> transaction : sourceTransactions) {
            Set<Long> otherTables = new HashSet<>();
            List<Event> kept = new ArrayList<>();
            int rows = 0;
            int keptRows = 0;
            for (Event e : transaction) {
                String table = BinlogEvents.mappedTable(e);
                if (table != null && !table.equals("rd.items")) {
                    otherTables.add(((TableMapEventData) e.getData()).getTableId());
                    continue;
                }
                Long rowsOf = rowsTableId(e);
                if (rowsOf != null) {
                    rows++;
                    if (otherTables.contains(rowsOf)) {
                        continue;
                    }
                    keptRows++;
                }
                kept.add(e);
            }
            if (rows == 0 || keptRows > 0) {
                expectedGtids.add(BinlogEvents.gtid(transaction.get(0)));
                expectedEvents.addAll(BinlogEvents.describe(kept));
            }
        }
        assertTrue(expectedGtids.size() < sourceGtids.size(), "some transactions touch other tables only");
        for (Consumer<TopicReaderConfig.Builder> filter : List.<Consumer<TopicReaderConfig.Builder>>of(
                c -> c.includeTables("rd\\.items"), c -> c.excludeTables("rd\\.(audit|blobs)", "shop\\..*"))) {
            TopicReaderConfig.Builder config = config(StartPosition.beginning());
            filter.accept(config);
            try (TopicReader reader = new TopicReader(config.build())) {
                List<Transaction> got = readToWorkloadEnd(reader);
                assertEquals(expectedGtids, gtids(got));
                assertEquals(expectedEvents, describe(got));
                assertSameGtidState(sourceGtidState, ((StartPosition.Resume) reader.position()).position().gtids());
            }
        }
    }

    @Test
    void theExampleInReaderMdRunsAsWritten() throws Exception {
        String page = Files.readString(Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("reader.md"));
        int from = page.indexOf("```java\n") + "```java\n".length();
        String code = page.substring(from, page.indexOf("```\n", from));
        Path dir = TestDirs.newTempDir("reader-example");
        Path sourceFile = dir.resolve("PrintOrders.java");
        Files.writeString(sourceFile, code);
        String classpath = Stream.of(TopicReader.class, Event.class, org.apache.kafka.clients.consumer.Consumer.class,
                        io.binlogbridge.schemas.BinlogRecord.class, io.binlogbridge.core.gtid.GtidSet.class)
                .map(ReaderScenarios::jarOf).distinct().collect(Collectors.joining(File.pathSeparator));
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = ToolProvider.getSystemJavaCompiler().run(null, errors, errors, "-d", dir.toString(), "-cp", classpath, sourceFile.toString());
        assertEquals(0, rc, "javac of the example in docs/reader.md:\n" + errors);

        Transaction order;
        try (TopicReader reader = new TopicReader(config(StartPosition.beginning()).includeTables("shop\\.orders").build())) {
            Predicate<Transaction> inserts = t -> t.events().stream().anyMatch(e -> e.getData() instanceof WriteRowsEventData);
            order = readUntil(reader, got -> got.stream().anyMatch(inserts)).stream().filter(inserts).findFirst().orElseThrow();
        }
        List<String> printed = runExample(dir, kafka.bootstrap(), topic());
        assertEquals(List.of(order.gtid() + " " + order.file() + ":" + order.startPosition() + " [7, book]"),
                printed.subList(0, printed.size() - 1), "rows printed: " + printed);
        String last = printed.get(printed.size() - 1);
        assertTrue(last.startsWith("resume from resume:offset="), last);
        assertEquals(List.of("resume from " + last.substring("resume from ".length())),
                runExample(dir, kafka.bootstrap(), topic(), last.substring("resume from ".length())), "a second run resumes after the first");
    }

    /** Runs the compiled example's main with {@code args}; its lines on standard output. */
    private static List<String> runExample(Path classes, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, ReaderScenarios.class.getClassLoader())) {
            Method main = loader.loadClass("PrintOrders").getMethod("main", String[].class);
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            try {
                main.invoke(null, (Object) args);
            } finally {
                System.setOut(saved);
            }
        }
        // Only the example's own lines: a console log appender may share the stream.
        return out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("resume from ") || l.matches("\\S+ \\S+:\\d+ \\[.*"))
                .toList();
    }

    private static String jarOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Long rowsTableId(Event e) {
        EventType type = e.getHeader().getEventType();
        if (EventType.isRowMutation(type)) {
            if (e.getData() instanceof WriteRowsEventData w) {
                return w.getTableId();
            } else if (e.getData() instanceof UpdateRowsEventData u) {
                return u.getTableId();
            } else if (e.getData() instanceof com.github.shyiko.mysql.binlog.event.DeleteRowsEventData d) {
                return d.getTableId();
            }
        }
        return null;
    }

    private static Transaction containing(List<Transaction> all, Predicate<Event> test) {
        return all.stream().filter(t -> t.events().stream().anyMatch(test)).findFirst()
                .orElseThrow(() -> new AssertionError("no transaction holds the event looked for"));
    }

    /** The row values of a transaction's row events, in order: {@code [[row]]}, or {@code [[before]]->[[after]]} for updates. */
    private static List<String> rowValues(Transaction t) {
        List<String> values = new ArrayList<>();
        for (Event e : t.events()) {
            if (e.getData() instanceof WriteRowsEventData w) {
                values.add(Arrays.deepToString(w.getRows().toArray()));
            } else if (e.getData() instanceof UpdateRowsEventData u) {
                for (Map.Entry<Serializable[], Serializable[]> row : u.getRows()) {
                    values.add(Arrays.deepToString(new Object[] {row.getKey()}) + "->" + Arrays.deepToString(new Object[] {row.getValue()}));
                }
            } else if (e.getData() instanceof com.github.shyiko.mysql.binlog.event.DeleteRowsEventData d) {
                values.add(Arrays.deepToString(d.getRows().toArray()));
            }
        }
        return values;
    }
}
