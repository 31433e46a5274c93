package io.binlogbridge.it.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.core.binlog.EventHeader;
import io.binlogbridge.it.fixtures.SourceDatabase;
import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.RecordKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Checks that a binlog topic is exactly the source's binary log. */
public final class LogAssertions {
    private LogAssertions() {}

    /**
     * Waits until the topic reaches the source's SHOW MASTER STATUS position, then asserts that the
     * files rebuilt from it (contiguous: no gap, no duplicate) are the source's binlog files byte for
     * byte (the active one modulo its in-use flag). Returns the topic's entries.
     */
    public static List<TopicContents.Entry> assertTopicEqualsSource(SourceDatabase source, TopicContents contents,
            Duration timeout, Supplier<String> relayLog) throws IOException {
        String file = source.currentBinlogFile();
        long position = source.currentBinlogPosition();
        List<TopicContents.Entry> entries;
        try {
            entries = contents.pollUntil(TopicContents.reached(file, position), timeout, "relay to reach " + file + ":" + position);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nrelay log:\n" + relayLog.get(), e);
        }
        Map<String, byte[]> rebuilt = TopicContents.rebuildFiles(entries);
        List<Path> files = source.binlogFiles();
        assertEquals(files.stream().map(p -> p.getFileName().toString()).toList(), List.copyOf(rebuilt.keySet()),
                "the log holds every binlog file of the source, in order");
        for (Path path : files) {
            String name = path.getFileName().toString();
            byte[] onDisk = Files.readAllBytes(path);
            byte[] fromTopic = rebuilt.get(name);
            assertEquals(onDisk.length, fromTopic.length, name + " length");
            if (name.equals(file)) {
                assertArrayEquals(TopicContents.withoutInUseFlag(onDisk), fromTopic, name + " (active) differs");
            } else {
                assertArrayEquals(onDisk, fromTopic, name + " differs");
            }
        }
        return entries;
    }

    /** GTIDs of the topic's complete TRANSACTION records, in log order. */
    public static List<String> transactionGtids(List<TopicContents.Entry> entries) {
        List<String> gtids = new ArrayList<>();
        for (TopicContents.Entry e : entries) {
            BinlogRecord v = e.value();
            if (v.getKind() == RecordKind.TRANSACTION && v.getLastChunk()) {
                gtids.add(v.getGtid());
            }
        }
        return gtids;
    }

    /** How many events of {@code type} the source's binlog files hold. */
    public static long countEvents(SourceDatabase source, int type) throws IOException {
        long count = 0L;
        for (Path path : source.binlogFiles()) {
            byte[] b = Files.readAllBytes(path);
            int p = (int) BinlogConstants.BIN_LOG_HEADER_SIZE;
            while (p + BinlogConstants.LOG_EVENT_HEADER_LEN <= b.length) {
                long size = EventHeader.eventSize(b, p);
                if (size < BinlogConstants.LOG_EVENT_HEADER_LEN) {
                    throw new AssertionError("bad event size " + size + " in " + path + " at " + p);
                }
                if (EventHeader.type(b, p) == type) {
                    count++;
                }
                p += (int) size;
            }
        }
        return count;
    }
}
