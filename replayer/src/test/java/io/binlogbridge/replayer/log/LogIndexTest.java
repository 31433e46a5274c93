package io.binlogbridge.replayer.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.server.sql.BinlogPosition;
import io.binlogbridge.server.sql.ServerIdentity;
import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.ChecksumAlgorithm;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.schemas.RecordKind;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LogIndexTest {

    static BinlogRecord header(Flavor flavor, String file) {
        return BinlogRecord.newBuilder()
                .setKind(RecordKind.FILE_HEADER).setTerm(1).setFlavor(flavor)
                .setServerId(9).setServerUuid(null).setServerVersion(flavor == Flavor.MARIADB ? "10.11.6-MariaDB-log" : "8.0.15")
                .setFile(file).setStartPosition(4).setEndPosition(256)
                .setGtid(null).setPreviousGtids("")
                .setEventCount(2).setEventTimestamp(1_700_000_000L)
                .setChecksum(ChecksumAlgorithm.CRC32).setChunk(0).setLastChunk(true)
                .setEvents(ByteBuffer.wrap(new byte[0])).build();
    }

    @Test
    void anEmptyLogHasNoFilesAndThePositionOfNone() {
        LogIndex index = new LogIndex(null, Flavor.MYSQL);
        assertTrue(index.isEmpty());
        assertEquals(List.of(), index.binaryLogs());
        assertEquals(new BinlogPosition("", 0), index.currentPosition());
        assertEquals("", index.gtidExecuted());
    }

    @Test
    void anEmptyLogPresentsTheFlavorItWasToldToExpect() {
        ServerIdentity mysql = new LogIndex(null, Flavor.MYSQL).identity();
        assertEquals(Flavor.MYSQL, mysql.flavor());
        assertTrue(mysql.gtidMode(), "a MySQL replica with MASTER_AUTO_POSITION=1 needs GTID_MODE=ON");
        ServerIdentity mariaDb = new LogIndex(42L, Flavor.MARIADB).identity();
        assertEquals(Flavor.MARIADB, mariaDb.flavor());
        assertEquals(42, mariaDb.serverId());
        // A MariaDB replica reads the major version from the handshake and uses GTIDs from 10 on.
        assertTrue(mariaDb.handshakeVersion().startsWith("5.5.5-10."), mariaDb.handshakeVersion());
    }

    @Test
    void theLogsOwnSourceReplacesTheExpectedFlavor() {
        LogIndex index = new LogIndex(null, Flavor.MYSQL);
        index.apply(0, header(Flavor.MARIADB, "mariadb-bin.000001"));
        assertFalse(index.isEmpty());
        assertEquals(Flavor.MARIADB, index.identity().flavor());
        assertEquals(9, index.identity().serverId());
    }

    @Test
    void changeListenersRunAfterEachRecordUntilRemoved() {
        LogIndex index = new LogIndex(null, Flavor.MYSQL);
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger sawEmpty = new AtomicInteger();
        Runnable listener = () -> {
            calls.incrementAndGet();
            if (index.isEmpty()) {
                sawEmpty.incrementAndGet();
            }
        };
        index.addChangeListener(listener);
        index.apply(0, header(Flavor.MYSQL, "binlog.000001"));
        index.apply(1, header(Flavor.MYSQL, "binlog.000002"));
        assertEquals(2, calls.get());
        assertEquals(0, sawEmpty.get(), "a listener sees the record it is told about");
        index.removeChangeListener(listener);
        index.apply(2, header(Flavor.MYSQL, "binlog.000003"));
        assertEquals(2, calls.get());
    }
}
