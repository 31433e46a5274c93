package io.binlogbridge.server.sql;

import io.binlogbridge.schemas.Flavor;

import io.binlogbridge.server.session.ClientSession;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The system variables the replayer knows, with the values a freshly installed source would show, and
 * those that describe the log taken from {@link LogState}. A variable exists only in the flavor that has
 * it (MySQL's gtid_mode, MariaDB's gtid_domain_id), so that replicas probing for features get the same
 * answers as from a real source; everything else is ERR 1193, which replicas tolerate.
 */
public final class SystemVariables {
    private SystemVariables() {}

    /** How a value prints: BOOL is ON/OFF in SHOW VARIABLES and 1/0 in SELECT @@x, like MySQL. */
    public enum Kind { INT, STRING, BOOL }

    /** @param exists whether a source of this identity has the variable */
    public record Definition(String name, Kind kind, Predicate<ServerIdentity> exists, Function<LogState, String> global) {
        public boolean existsIn(ServerIdentity identity) {
            return exists.test(identity);
        }
    }

    private static final Map<String, Definition> DEFINITIONS = new TreeMap<>();

    private static void def(String name, Kind kind, Flavor flavor, Function<LogState, String> value) {
        defWhere(name, kind, flavor == null ? id -> true : id -> id.flavor() == flavor, value);
    }

    private static void defWhere(String name, Kind kind, Predicate<ServerIdentity> exists, Function<LogState, String> value) {
        DEFINITIONS.put(name, new Definition(name, kind, exists, value));
    }

    /** MariaDB, and MySQL before 8.0 (query cache and tx_* names were removed in 8.0). */
    private static boolean mariaDbOrMySql57(ServerIdentity id) {
        return id.mariaDb() || id.serverVersion().startsWith("5.");
    }

    private static void constant(String name, Kind kind, String value) {
        def(name, kind, (Flavor) null, s -> value);
    }

    private static void byFlavor(String name, Kind kind, String mysql, String mariaDb) {
        def(name, kind, (Flavor) null, s -> s.identity().mariaDb() ? mariaDb : mysql);
    }

    private static String onOff(boolean b) {
        return b ? "ON" : "OFF";
    }

    static {
        Flavor my = Flavor.MYSQL;
        Flavor maria = Flavor.MARIADB;
        // Identity and binlog settings of the log being served.
        def("server_id", Kind.INT, (Flavor) null, s -> Long.toString(s.identity().serverId()));
        def("server_uuid", Kind.STRING, my, s -> s.identity().serverUuid());
        def("version", Kind.STRING, (Flavor) null, s -> s.identity().serverVersion());
        def("version_comment", Kind.STRING, (Flavor) null, s -> s.identity().versionComment());
        def("binlog_checksum", Kind.STRING, (Flavor) null, s -> s.identity().binlogChecksum());
        def("gtid_mode", Kind.STRING, my, s -> onOff(s.identity().gtidMode()));
        def("enforce_gtid_consistency", Kind.STRING, my, s -> onOff(s.identity().gtidMode()));
        def("gtid_executed", Kind.STRING, my, LogState::gtidExecuted);
        def("gtid_purged", Kind.STRING, my, LogState::gtidPurged);
        def("gtid_domain_id", Kind.INT, maria, s -> Long.toString(s.identity().gtidDomainId()));
        def("gtid_binlog_pos", Kind.STRING, maria, LogState::gtidExecuted);
        def("gtid_current_pos", Kind.STRING, maria, LogState::gtidExecuted);
        def("gtid_slave_pos", Kind.STRING, maria, s -> "");
        def("gtid_strict_mode", Kind.BOOL, maria, s -> "OFF");
        // Semi-sync is built into MariaDB (present, OFF); MySQL has it only with the plugin loaded, so
        // for MySQL it is unknown and a replica asking falls back to asynchronous replication.
        def("rpl_semi_sync_master_enabled", Kind.BOOL, maria, s -> "OFF");
        def("rpl_semi_sync_slave_enabled", Kind.BOOL, maria, s -> "OFF");
        constant("log_bin", Kind.BOOL, "ON");
        constant("binlog_format", Kind.STRING, "ROW");
        constant("binlog_row_image", Kind.STRING, "FULL");
        def("binlog_row_metadata", Kind.STRING, my, s -> "MINIMAL");
        def("binlog_transaction_compression", Kind.BOOL, my, s -> "OFF");
        constant("log_slave_updates", Kind.BOOL, "ON");
        def("log_replica_updates", Kind.BOOL, my, s -> "ON");
        constant("read_only", Kind.BOOL, "OFF");
        def("super_read_only", Kind.BOOL, my, s -> "OFF");
        constant("max_binlog_size", Kind.INT, "1073741824");
        // Session defaults every client library reads at connect (Connector/J's init query among them).
        constant("auto_increment_increment", Kind.INT, "1");
        constant("auto_increment_offset", Kind.INT, "1");
        constant("autocommit", Kind.BOOL, "ON");
        constant("character_set_client", Kind.STRING, "utf8mb4");
        constant("character_set_connection", Kind.STRING, "utf8mb4");
        constant("character_set_database", Kind.STRING, "utf8mb4");
        constant("character_set_results", Kind.STRING, "utf8mb4");
        constant("character_set_server", Kind.STRING, "utf8mb4");
        constant("character_set_system", Kind.STRING, "utf8mb3");
        constant("character_set_filesystem", Kind.STRING, "binary");
        byFlavor("collation_connection", Kind.STRING, "utf8mb4_0900_ai_ci", "utf8mb4_general_ci");
        byFlavor("collation_database", Kind.STRING, "utf8mb4_0900_ai_ci", "utf8mb4_general_ci");
        byFlavor("collation_server", Kind.STRING, "utf8mb4_0900_ai_ci", "utf8mb4_general_ci");
        constant("default_storage_engine", Kind.STRING, "InnoDB");
        constant("explicit_defaults_for_timestamp", Kind.BOOL, "ON");
        constant("init_connect", Kind.STRING, "");
        constant("interactive_timeout", Kind.INT, "28800");
        constant("wait_timeout", Kind.INT, "28800");
        constant("net_read_timeout", Kind.INT, "30");
        constant("net_write_timeout", Kind.INT, "60");
        constant("net_buffer_length", Kind.INT, "16384");
        constant("license", Kind.STRING, "GPL");
        constant("lower_case_table_names", Kind.INT, "0");
        constant("max_allowed_packet", Kind.INT, "67108864");
        constant("max_connections", Kind.INT, "151");
        def("performance_schema", Kind.BOOL, (Flavor) null, s -> "OFF");
        defWhere("query_cache_size", Kind.INT, SystemVariables::mariaDbOrMySql57, s -> "1048576");
        defWhere("query_cache_type", Kind.STRING, SystemVariables::mariaDbOrMySql57, s -> "OFF");
        byFlavor("sql_mode", Kind.STRING,
                "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION",
                "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION");
        constant("sql_select_limit", Kind.INT, "18446744073709551615");
        constant("system_time_zone", Kind.STRING, "UTC");
        constant("time_zone", Kind.STRING, "SYSTEM");
        constant("transaction_isolation", Kind.STRING, "REPEATABLE-READ");
        constant("transaction_read_only", Kind.BOOL, "OFF");
        defWhere("tx_isolation", Kind.STRING, SystemVariables::mariaDbOrMySql57, s -> "REPEATABLE-READ");
        defWhere("tx_read_only", Kind.BOOL, SystemVariables::mariaDbOrMySql57, s -> "OFF");
        constant("version_compile_os", Kind.STRING, "Linux");
        constant("version_compile_machine", Kind.STRING, "x86_64");
        def("default_authentication_plugin", Kind.STRING, my, s -> "caching_sha2_password");
        constant("have_ssl", Kind.STRING, "DISABLED");
        constant("hostname", Kind.STRING, "binlog-bridge");
    }

    public static Optional<Definition> find(String name, ServerIdentity identity) {
        Definition d = DEFINITIONS.get(name.toLowerCase(Locale.ROOT));
        return d != null && d.existsIn(identity) ? Optional.of(d) : Optional.empty();
    }

    /** All variables of a flavor, sorted by name as SHOW VARIABLES prints them. */
    public static List<Definition> all(ServerIdentity identity) {
        List<Definition> list = new ArrayList<>();
        for (Definition d : DEFINITIONS.values()) {
            if (d.existsIn(identity)) {
                list.add(d);
            }
        }
        return Collections.unmodifiableList(list);
    }

    /** The value as SHOW VARIABLES prints it; session values apply unless {@code global}. NULL prints as "". */
    public static String showValue(Definition d, LogState state, ClientSession session, boolean global) {
        String v = !global && session != null && session.hasSessionVariable(d.name())
                ? session.sessionVariable(d.name())
                : d.global().apply(state);
        return v == null ? "" : v;
    }

    /** The value as SELECT @@x returns it: BOOL as 1/0, NULL stays null. */
    public static String selectValue(Definition d, LogState state, ClientSession session, boolean global) {
        String v = !global && session != null && session.hasSessionVariable(d.name())
                ? session.sessionVariable(d.name())
                : d.global().apply(state);
        if (v != null && d.kind() == Kind.BOOL) {
            return "ON".equalsIgnoreCase(v) ? "1" : "0";
        }
        return v;
    }

    /** A value the client SET, normalized to how SHOW VARIABLES would print it. */
    public static String normalize(Definition d, Object value) {
        if (value == null) {
            return null;
        }
        String s = value.toString();
        if (d.kind() == Kind.BOOL) {
            return switch (s.toUpperCase(Locale.ROOT)) {
                case "1", "ON", "TRUE", "YES" -> "ON";
                default -> "OFF";
            };
        }
        return s;
    }
}
