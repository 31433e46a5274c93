package io.binlogbridge.it.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.binlogbridge.it.fixtures.MariaDbServer;
import io.binlogbridge.it.fixtures.SourceDatabase;
import java.util.List;

/** The reader over the topic of a MariaDB 10.11 source (GTIDs domain-server-seq). */
class TopicReaderMariaDbTest extends ReaderScenarios {
    @Override
    SourceDatabase startSource() {
        return MariaDbServer.builder().serverId(62).name("mariadb-src-reader").start();
    }

    @Override
    String topic() {
        return "reader-mariadb";
    }

    /** A MariaDB GTID position: the last of the skipped transactions (one domain here), as a replica's slave_connect_state. */
    @Override
    String gtidStartOf(List<String> gtids) {
        return gtids.get(gtids.size() - 1);
    }

    @Override
    String prefixStartOf(List<String> gtids) {
        return gtids.get(gtids.size() - 1);
    }

    @Override
    void assertSameGtidState(String sourceState, String readerState) {
        assertEquals(sourceState, readerState);
    }
}
