package io.binlogbridge.server.sql;

import io.binlogbridge.schemas.Flavor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.server.session.ClientSession;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryResponderTest {
    static final String UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    final ClientSession session = newSession(1);
    final Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);

    static ClientSession newSession(int id) {
        ClientSession s = new ClientSession(id, "localhost");
        s.user("repl");
        return s;
    }

    static StaticLogState state(Flavor flavor) {
        ServerIdentity id = new ServerIdentity(flavor, flavor == Flavor.MARIADB ? "10.11.6-MariaDB-log" : "8.0.40", 42, UUID,
                "CRC32", true, 3, flavor == Flavor.MARIADB ? "mariadb.org binary distribution" : "MySQL Community Server - GPL");
        return new StaticLogState(id, List.of(new BinaryLog("binlog.000001", 1000, false), new BinaryLog("binlog.000002", 2000, false)),
                new BinlogPosition("binlog.000002", 2000), UUID + ":1-5", UUID + ":1-2");
    }

    QueryResult run(Flavor flavor, String sql) {
        return new QueryResponder(state(flavor), List.of(), clock).respond(sql, session);
    }

    QueryResult.ResultSet rs(String sql) {
        return rs(Flavor.MYSQL, sql);
    }

    QueryResult.ResultSet rs(Flavor flavor, String sql) {
        QueryResult r = run(flavor, sql);
        return assertInstanceOf(QueryResult.ResultSet.class, r, sql + " → " + r);
    }

    QueryResult.Error err(String sql) {
        return err(Flavor.MYSQL, sql);
    }

    QueryResult.Error err(Flavor flavor, String sql) {
        QueryResult r = run(flavor, sql);
        return assertInstanceOf(QueryResult.Error.class, r, sql + " → " + r);
    }

    void ok(String sql) {
        ok(Flavor.MYSQL, sql);
    }

    void ok(Flavor flavor, String sql) {
        QueryResult r = run(flavor, sql);
        assertInstanceOf(QueryResult.Ok.class, r, sql + " → " + r);
    }

    String single(String sql) {
        return single(Flavor.MYSQL, sql);
    }

    String single(Flavor flavor, String sql) {
        QueryResult.ResultSet r = rs(flavor, sql);
        assertEquals(1, r.rows().size());
        assertEquals(1, r.columns().size());
        return r.rows().get(0).get(0);
    }

    Map<String, String> vars(Flavor flavor, String sql) {
        Map<String, String> out = new HashMap<>();
        for (List<String> row : rs(flavor, sql).rows()) {
            out.put(row.get(0), row.get(1));
        }
        return out;
    }

    @Test
    void simpleSelects() {
        assertEquals("1700000000", single("SELECT UNIX_TIMESTAMP()"));
        assertEquals("UNIX_TIMESTAMP()", rs("SELECT UNIX_TIMESTAMP()").columns().get(0).name());
        assertEquals(QueryResult.ColumnType.INTEGER, rs("SELECT UNIX_TIMESTAMP()").columns().get(0).type());
        assertEquals("8.0.40", single("SELECT VERSION()"));
        assertEquals("10.11.6-MariaDB-log", single(Flavor.MARIADB, "select version()"));
        assertEquals("MySQL Community Server - GPL", single("SELECT @@version_comment LIMIT 1"));
        assertEquals("1", single("SELECT 1"));
        assertEquals("1", single("  select   1 ;  "));
        assertEquals("1", single("/* ping */ SELECT 1 FROM DUAL;;"));
    }

    @Test
    void systemVariablesAndColumnNames() {
        QueryResult.ResultSet r = rs("SELECT @@GLOBAL.SERVER_ID");
        assertEquals("@@GLOBAL.SERVER_ID", r.columns().get(0).name());
        assertEquals("42", r.rows().get(0).get(0));
        assertEquals("@@server_id", rs("select @@server_id").columns().get(0).name());
        assertEquals(UUID, single("SELECT @@global.server_uuid"));
        assertEquals("ON", single("SELECT @@GLOBAL.GTID_MODE"));
        assertEquals(UUID + ":1-5", single("SELECT @@global.gtid_executed"));
        assertEquals(UUID + ":1-2", single("SELECT @@global.gtid_purged"));
        assertEquals("CRC32", single("SELECT @@global.binlog_checksum"));
        assertEquals("0", single("SELECT @@lower_case_table_names"));
        assertEquals("1", single("SELECT @@session.auto_increment_increment"));
        assertEquals("3", single(Flavor.MARIADB, "SELECT @@GLOBAL.gtid_domain_id"));
        QueryResult.ResultSet two = rs("SELECT @@server_id AS sid, @@global.server_uuid `uuid`");
        assertEquals(List.of("sid", "uuid"), two.columns().stream().map(QueryResult.Column::name).toList());
        assertEquals(List.of("42", UUID), two.rows().get(0));
    }

    @Test
    void unknownSystemVariables() {
        QueryResult.Error e = err("SELECT @@global.rpl_semi_sync_master_enabled");
        assertEquals(MySqlConstants.ER_UNKNOWN_SYSTEM_VARIABLE, e.code());
        assertEquals("HY000", e.sqlState());
        assertEquals("Unknown system variable 'rpl_semi_sync_master_enabled'", e.message());
        assertEquals("Unknown system variable 'gtid_domain_id'", err("SELECT @@GLOBAL.gtid_domain_id").message());
        assertEquals("Unknown system variable 'no_such_thing'", err("SELECT @@no_such_thing").message());
        assertEquals("Unknown system variable 'GTID_MODE'", err(Flavor.MARIADB, "SELECT @@GLOBAL.GTID_MODE").message());
    }

    @Test
    void userVariablesAndSet() {
        assertNull(single("SELECT @master_binlog_checksum"));
        ok("SET @master_binlog_checksum= @@global.binlog_checksum");
        assertEquals("CRC32", single("SELECT @master_binlog_checksum"));
        ok("SET @master_heartbeat_period= 1000000000");
        assertEquals(1_000_000_000L, session.userVariableLong("master_heartbeat_period"));
        ok("SET @a=1, @b='x,y'");
        assertEquals("1", single("SELECT @a"));
        assertEquals("x,y", single("SELECT @B"));
        ok("SET @slave_uuid= '" + UUID + "', @replica_uuid= '" + UUID + "'");
        assertEquals(UUID, session.userVariableString("replica_uuid"));
        ok("SET @master_binlog_checksum='NONE'");
        assertEquals("NONE", single("SELECT @master_binlog_checksum"));
        ok("SET @mariadb_slave_capability=4");
        assertTrue(session.mariaDbClient());
        ok("SET @x := CONCAT('a', 'b')");
        assertEquals(MySqlConstants.ER_UNKNOWN_SYSTEM_VARIABLE, err("SET @x = @@global.nope").code());
    }

    @Test
    void setSystemVariables() {
        ok("SET NAMES utf8mb4");
        ok("SET NAMES 'utf8mb4' COLLATE 'utf8mb4_general_ci'");
        ok("SET autocommit=1");
        ok("SET autocommit=0");
        assertEquals("0", single("SELECT @@autocommit"));
        ok("SET sql_mode='STRICT_TRANS_TABLES'");
        assertEquals("STRICT_TRANS_TABLES", single("SELECT @@sql_mode"));
        assertTrue(single("SELECT @@global.sql_mode").startsWith("ONLY_FULL_GROUP_BY"));
        ok("SET SESSION wait_timeout = 100");
        assertEquals("100", single("SELECT @@wait_timeout"));
        ok("SET @@session.net_write_timeout=600");
        assertEquals("600", single("SELECT @@session.net_write_timeout"));
        ok("SET character_set_results = NULL");
        assertNull(single("SELECT @@character_set_results"));
        ok("SET GLOBAL something_unknown = 5");
        ok("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
        ok("SET totally_unknown_var = ON");
    }

    @Test
    void connectorJInitQuery() {
        String sql = "/* mysql-connector-j-9.1.0 (Revision: abc) */SELECT  @@session.auto_increment_increment AS auto_increment_increment, "
                + "@@character_set_client AS character_set_client, @@character_set_connection AS character_set_connection, "
                + "@@character_set_results AS character_set_results, @@character_set_server AS character_set_server, "
                + "@@collation_server AS collation_server, @@collation_connection AS collation_connection, @@init_connect AS init_connect, "
                + "@@interactive_timeout AS interactive_timeout, @@license AS license, @@lower_case_table_names AS lower_case_table_names, "
                + "@@max_allowed_packet AS max_allowed_packet, @@net_write_timeout AS net_write_timeout, @@performance_schema AS performance_schema, "
                + "@@sql_mode AS sql_mode, @@system_time_zone AS system_time_zone, @@time_zone AS time_zone, "
                + "@@transaction_isolation AS transaction_isolation, @@wait_timeout AS wait_timeout";
        QueryResult.ResultSet r = rs(sql);
        assertEquals(19, r.columns().size());
        assertEquals(1, r.rows().size());
        assertEquals("67108864", r.rows().get(0).get(r.columnIndex("max_allowed_packet")));
        assertEquals("utf8mb4", r.rows().get(0).get(r.columnIndex("character_set_server")));
        assertEquals("REPEATABLE-READ", r.rows().get(0).get(r.columnIndex("transaction_isolation")));
    }

    @Test
    void binlogGtidPos() {
        assertNull(single(Flavor.MARIADB, "SELECT binlog_gtid_pos('binlog.000001', 4)"));
        assertEquals(QueryResponder.ER_SP_DOES_NOT_EXIST, err("SELECT binlog_gtid_pos('binlog.000001',4)").code());
    }

    @Test
    void showVariables() {
        Map<String, String> all = vars(Flavor.MYSQL, "SHOW VARIABLES");
        for (String name : List.of("server_id", "server_uuid", "lower_case_table_names", "binlog_format", "binlog_row_image", "gtid_mode",
                "log_bin", "binlog_checksum", "version", "version_comment", "character_set_server", "collation_server",
                "max_allowed_packet", "sql_mode", "time_zone", "system_time_zone", "wait_timeout", "interactive_timeout",
                "net_write_timeout")) {
            assertTrue(all.containsKey(name), name);
        }
        assertEquals("ROW", all.get("binlog_format"));
        assertEquals("FULL", all.get("binlog_row_image"));
        assertEquals("ON", all.get("log_bin"));
        assertEquals(Map.of("server_id", "42"), vars(Flavor.MARIADB, "SHOW VARIABLES LIKE 'SERVER_ID'"));
        assertEquals(Map.of("binlog_format", "ROW"), vars(Flavor.MYSQL, "show global variables like 'binlog\\_format'"));
        assertEquals(Map.of("gtid_mode", "ON"), vars(Flavor.MYSQL, "SHOW GLOBAL VARIABLES LIKE 'GTID_MODE'"));
        assertEquals(Map.of("binlog_checksum", "CRC32"), vars(Flavor.MYSQL, "show global variables like 'binlog_checksum'"));
        assertEquals(Map.of("rpl_semi_sync_master_enabled", "OFF"), vars(Flavor.MARIADB, "SHOW VARIABLES LIKE 'rpl_semi_sync_master_enabled'"));
        assertTrue(vars(Flavor.MYSQL, "SHOW VARIABLES LIKE 'rpl_semi_sync_master_enabled'").isEmpty());
        assertEquals(2, vars(Flavor.MYSQL, "SHOW SESSION VARIABLES LIKE 'binlog_row_%'").size());
        assertEquals(Map.of("server_id", "42", "version", "8.0.40"),
                vars(Flavor.MYSQL, "SHOW VARIABLES WHERE Variable_name = 'server_id' OR Variable_name='VERSION'"));
        assertEquals(Map.of("server_id", "42"), vars(Flavor.MYSQL, "SHOW VARIABLES WHERE Variable_name IN ('server_id')"));
        assertEquals(List.of("Variable_name", "Value"),
                rs("SHOW VARIABLES LIKE 'x'").columns().stream().map(QueryResult.Column::name).toList());
    }

    @Test
    void aServersOwnFamilyAnswersFirstAndTheRestFallThrough() {
        StatementFamily ownsShowThings = (first, context) -> {
            if (first.equals("SHOW") && context.cursor().acceptWord("THINGS")) {
                context.cursor().expectEnd();
                return new QueryResult.Ok(7);
            }
            return null;
        };
        QueryResponder responder = new QueryResponder(state(Flavor.MYSQL), List.of(ownsShowThings), clock);
        assertEquals(new QueryResult.Ok(7), responder.respond("SHOW THINGS", session));
        // The family read a word of SHOW WARNINGS before giving up: the built-in SHOW must see it whole.
        assertTrue(((QueryResult.ResultSet) responder.respond("SHOW WARNINGS", session)).rows().isEmpty());
        assertEquals(MySqlConstants.ER_NOT_SUPPORTED_YET, ((QueryResult.Error) run(Flavor.MYSQL, "SHOW THINGS")).code());
    }

    @Test
    void miscStatements() {
        assertTrue(rs("SHOW WARNINGS").rows().isEmpty());
        ok("ROLLBACK");
        ok("COMMIT");
        ok("BEGIN");
        ok("START TRANSACTION");
        ok("USE mydb");
        assertEquals("mydb", session.database());
        assertTrue(rs("SHOW GRANTS FOR CURRENT_USER").rows().get(0).get(0).contains("REPLICATION SLAVE"));
    }

    @Test
    void setAutocommitZeroClearsTheSessionsAutocommitStatusFlag() {
        assertEquals(MySqlConstants.SERVER_STATUS_AUTOCOMMIT, session.serverStatus());
        ok("SET autocommit=0");
        assertEquals(0, session.serverStatus());
        assertEquals("0", single("SELECT @@autocommit"));
        ok("SET SESSION autocommit = ON");
        assertEquals(MySqlConstants.SERVER_STATUS_AUTOCOMMIT, session.serverStatus());
    }

    @Test
    void mariaDbSetStatementForAnswersTheStatementAfterFor() {
        assertEquals("10.11.6-MariaDB-log", single(Flavor.MARIADB, "SET STATEMENT max_statement_time=600 FOR SELECT version()"));
        assertEquals("1", single(Flavor.MARIADB, "set statement a=(1), b=IF(1, 2, 3) for select 1"));
        assertEquals(MySqlConstants.ER_PARSE_ERROR, err(Flavor.MARIADB, "SET STATEMENT max_statement_time=600").code());
        assertEquals(MySqlConstants.ER_PARSE_ERROR, err(Flavor.MARIADB, "SET STATEMENT max_statement_time=600 FOR").code());
    }

    @Test
    void errorsKeepMySqlWording() {
        QueryResult.Error e = err("FROBNICATE everything");
        assertEquals(MySqlConstants.ER_PARSE_ERROR, e.code());
        assertEquals("42000", e.sqlState());
        assertEquals("You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version "
                + "for the right syntax to use near 'FROBNICATE everything' at line 1", e.message());
        assertTrue(err(Flavor.MARIADB, "FOO").message().contains("your MariaDB server version"));
        assertEquals(MySqlConstants.ER_NOT_SUPPORTED_YET, err("SELECT * FROM mysql.user").code());
        assertEquals(MySqlConstants.ER_NOT_SUPPORTED_YET, err("INSERT INTO t VALUES (1)").code());
        assertEquals(MySqlConstants.ER_EMPTY_QUERY, err("  ; ").code());
        assertEquals(MySqlConstants.ER_PARSE_ERROR, err("SELECT 1; SELECT 2").code());
        assertEquals(MySqlConstants.ER_PARSE_ERROR, err("SELECT 'unterminated").code());
        assertEquals(MySqlConstants.ER_PARSE_ERROR, err("SELECT").code());
        assertEquals(MySqlConstants.ER_PARSE_ERROR, err("SET @a").code());
        assertEquals(QueryResponder.ER_BAD_FIELD_ERROR, err("SELECT nosuchcolumn").code());
    }
}
