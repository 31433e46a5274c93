package io.binlogbridge.it.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.binlogbridge.core.gtid.MySqlGtid;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.fixtures.SourceDatabase;
import java.util.List;

/** The reader over the topic of a MySQL 8.0 source with GTIDs. */
class TopicReaderMySqlTest extends ReaderScenarios {
    @Override
    SourceDatabase startSource() {
        return MySqlServer.builder().gtid(true).serverId(61).name("mysql-src-reader").start();
    }

    @Override
    String topic() {
        return "reader-mysql";
    }

    /** The skipped GTIDs but one in the middle: a set with a hole, whose transaction must come first. */
    @Override
    String gtidStartOf(List<String> gtids) {
        gtids.remove(gtids.size() / 2);
        return prefixStartOf(gtids);
    }

    @Override
    String prefixStartOf(List<String> gtids) {
        MySqlGtidSet.Builder set = MySqlGtidSet.builder();
        gtids.forEach(g -> set.add(MySqlGtid.parse(g)));
        return set.build().toString();
    }

    @Override
    void assertSameGtidState(String sourceState, String readerState) {
        assertEquals(MySqlGtidSet.parse(sourceState), MySqlGtidSet.parse(readerState));
    }
}
