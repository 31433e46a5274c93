package io.binlogbridge.relay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.core.replica.SourceConfig;
import io.binlogbridge.core.replica.StartPosition;
import io.binlogbridge.relay.RelaySettings;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.server.session.ClientSession;
import io.binlogbridge.server.sql.BinlogPosition;
import io.binlogbridge.server.sql.QueryResponder;
import io.binlogbridge.server.sql.QueryResult;
import io.binlogbridge.server.sql.ServerIdentity;
import io.binlogbridge.server.sql.StatementFamily;
import io.binlogbridge.server.sql.StaticLogState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ChangeSourceStatementTest {
    static final RelaySettings SETTINGS = new RelaySettings(
            new SourceConfig("old-host", 3306, "repl", "secret", 77, Duration.ofSeconds(2), Duration.ofSeconds(10), 1 << 18),
            "t", new Properties(), new StartPosition.FilePosition("binlog.000007", 1234), "tx", false, Duration.ofMillis(10),
            8 << 20, 64 << 20, Duration.ofSeconds(30), Optional.empty());

    final AtomicReference<SourceChange> parsed = new AtomicReference<>();
    final StatementFamily change = (first, context) -> {
        if (!first.equals("CHANGE")) {
            return null;
        }
        boolean source = context.cursor().acceptWord("REPLICATION") && context.cursor().acceptWord("SOURCE");
        if (!source) {
            context.cursor().acceptWord("MASTER");
        }
        context.cursor().acceptWord("TO");
        parsed.set(ChangeSourceStatement.parse(context.cursor()));
        return new QueryResult.Ok(0);
    };

    QueryResult run(String sql) {
        ServerIdentity identity = new ServerIdentity(Flavor.MYSQL, "8.0.40", 1, "", "CRC32", true, 0, "");
        return new QueryResponder(new StaticLogState(identity, List.of(), new BinlogPosition("", 0), "", ""), List.of(change))
                .respond(sql, new ClientSession(1, "localhost"));
    }

    @Test
    void bothSpellingsSetTheSameOptions() {
        run("CHANGE REPLICATION SOURCE TO SOURCE_HOST='10.0.0.2', SOURCE_PORT=3307, SOURCE_USER='u', SOURCE_PASSWORD='p:w', SOURCE_AUTO_POSITION=1");
        SourceChange modern = parsed.get();
        run("change master to master_host='10.0.0.2', master_port=3307, master_user='u', master_password='p:w', master_auto_position=1");
        assertEquals(modern, parsed.get());
        RelaySettings next = modern.applyTo(SETTINGS);
        assertEquals(new SourceConfig("10.0.0.2", 3307, "u", "p:w", 77, Duration.ofSeconds(2), Duration.ofSeconds(10), 1 << 18),
                next.source());
        assertEquals(new StartPosition.Earliest(), next.start(), "a position read on the old source means nothing on the new one");
    }

    @Test
    void whatIsLeftOutKeepsItsValue() {
        run("CHANGE MASTER TO MASTER_PORT=3310 FOR CHANNEL ''");
        RelaySettings next = parsed.get().applyTo(SETTINGS);
        assertEquals("old-host", next.source().host());
        assertEquals(3310, next.source().port());
        assertEquals("repl", next.source().user());
        assertEquals("secret", next.source().password());
        run("CHANGE MASTER TO MASTER_USER='other'");
        assertEquals(SETTINGS.start(), parsed.get().applyTo(SETTINGS).start(), "the same server keeps its start");
    }

    @Test
    void aLogFileAndPositionNameTheNewTermsStartOnASourceWithoutGtids() {
        run("CHANGE REPLICATION SOURCE TO SOURCE_HOST='h', SOURCE_LOG_FILE='mysql-bin.000042', SOURCE_LOG_POS=157");
        assertEquals(new StartPosition.FilePosition("mysql-bin.000042", 157), parsed.get().applyTo(SETTINGS).start());
    }

    @Test
    void unknownOptionsAreNotSilentlyIgnored() {
        QueryResult.Error e = (QueryResult.Error) run("CHANGE REPLICATION SOURCE TO SOURCE_DELAY=10");
        assertEquals(MySqlConstants.ER_NOT_SUPPORTED_YET, e.code());
        assertNull(parsed.get());
        QueryResult.Error badPort = (QueryResult.Error) run("CHANGE MASTER TO MASTER_PORT=0");
        assertEquals(MySqlConstants.ER_PARSE_ERROR, badPort.code());
        QueryResult.Error otherChannel = (QueryResult.Error) run("CHANGE MASTER TO MASTER_PORT=3307 FOR CHANNEL 'c2'");
        assertEquals(MySqlConstants.ER_NOT_SUPPORTED_YET, otherChannel.code());
        assertTrue(((QueryResult.Error) run("CHANGE MASTER TO MASTER_HOST=")).message().contains("syntax"));
    }
}
