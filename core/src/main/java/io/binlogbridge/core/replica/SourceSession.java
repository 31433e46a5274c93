package io.binlogbridge.core.replica;

import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.core.binlog.BinlogFormatException;
import io.binlogbridge.core.gtid.ExecutedGtids;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.core.protocol.ConnectionSettings;
import io.binlogbridge.core.protocol.MySqlClient;
import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.core.protocol.MySqlServerException;
import io.binlogbridge.core.protocol.QueryResult;
import io.binlogbridge.core.record.OutgoingRecord;
import io.binlogbridge.core.record.RecordAssembler;
import io.binlogbridge.core.record.SourceIdentity;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.schemas.RecordKind;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica connection to the source: log in, learn who the source is, announce ourselves the way a
 * replica IO thread does, then stream the binlog from a file position or GTID set into a
 * {@link RecordAssembler}. Used by relay-server and the Kafka Connect task alike.
 */
public final class SourceSession implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(SourceSession.class);

    private final SourceConfig config;
    private final MySqlClient client;
    private final SourceIdentity identity;
    private final int checksumAlgorithm;
    private final boolean gtidMode;
    private final boolean semiSync;
    private volatile boolean closed;
    private final String binlogFormat;

    private SourceSession(SourceConfig config, MySqlClient client, SourceIdentity identity, int checksumAlgorithm,
            boolean gtidMode, boolean semiSync, String binlogFormat) {
        this.binlogFormat = binlogFormat;
        this.config = config;
        this.client = client;
        this.identity = identity;
        this.checksumAlgorithm = checksumAlgorithm;
        this.gtidMode = gtidMode;
        this.semiSync = semiSync;
    }

    /** Connects, checks the source can serve a binlog, and registers as a replica. */
    public static SourceSession open(SourceConfig config) throws SourceException {
        MySqlClient client = connect(config);
        try {
            boolean mariaDb = client.isMariaDb();
            QueryResult vars = query(client, config, mariaDb
                    ? "SELECT @@global.server_id, NULL, @@global.log_bin, @@global.binlog_format, @@global.binlog_checksum, 'OFF'"
                    : "SELECT @@global.server_id, @@global.server_uuid, @@global.log_bin, @@global.binlog_format, @@global.binlog_checksum, @@global.gtid_mode");
            List<String> row = vars.rows().get(0);
            long serverId = Long.parseLong(row.get(0));
            String uuid = row.get(1);
            if (!"1".equals(row.get(2)) && !"ON".equalsIgnoreCase(row.get(2))) {
                throw new SourceException("source " + config.address() + " has binary logging disabled (log_bin=OFF): there is no binlog to relay", false, null);
            }
            if (!"ROW".equalsIgnoreCase(row.get(3))) {
                log.warn("source binlog_format is {}: relayed as is, but CDC clients need ROW", row.get(3));
            }
            int checksum = "CRC32".equalsIgnoreCase(row.get(4)) ? BinlogConstants.BINLOG_CHECKSUM_ALG_CRC32 : BinlogConstants.BINLOG_CHECKSUM_ALG_OFF;
            boolean gtids = "ON".equalsIgnoreCase(row.get(5));
            String version = client.greeting().serverVersion();
            SourceIdentity identity = new SourceIdentity(mariaDb ? Flavor.MARIADB : Flavor.MYSQL, serverId, uuid, version);

            // What a replica IO thread says before the dump: keep checksums as stored, heartbeat when idle.
            long heartbeatNanos = config.heartbeatPeriod().toNanos();
            execute(client, config, "SET @master_binlog_checksum= @@global.binlog_checksum, @source_binlog_checksum= @@global.binlog_checksum");
            execute(client, config, "SET @master_heartbeat_period= " + heartbeatNanos + ", @source_heartbeat_period= " + heartbeatNanos);
            if (mariaDb) {
                // Capability 4 (GTID): send GTID and annotate events as stored, not rewritten for old replicas.
                execute(client, config, "SET @mariadb_slave_capability= 4");
            } else {
                String replicaUuid = replicaUuid(config).toString();
                execute(client, config, "SET @slave_uuid= '" + replicaUuid + "', @replica_uuid= '" + replicaUuid + "'");
            }
            boolean semiSync = config.semiSync() && enableSemiSync(client, config, mariaDb);
            try {
                client.registerReplica(config.serverId(), "", 0);
            } catch (MySqlServerException e) {
                throw rejected(config, "COM_REGISTER_SLAVE", e);
            }
            log.info("connected to {} source {} (server_id {}{}), binlog_checksum {}, gtid_mode {}",
                    mariaDb ? "MariaDB" : "MySQL", config.address(), serverId, uuid == null ? "" : ", uuid " + uuid,
                    row.get(4), mariaDb ? "domain-based" : row.get(5));
            return new SourceSession(config, client, identity, checksum, gtids, semiSync, row.get(3));
        } catch (SourceException e) {
            closeQuietly(client);
            throw e;
        } catch (IOException | RuntimeException e) {
            closeQuietly(client);
            throw new SourceException("lost connection to source " + config.address() + " while setting up: " + e.getMessage(), true, e);
        }
    }

    /**
     * Asks a semi-sync source to wait for our acknowledgements, as a semi-sync replica IO thread does.
     * A source without semi-sync (no plugin, or rpl_semi_sync_master_enabled=OFF) is read asynchronously,
     * with a warning: the same as a real replica does.
     */
    private static boolean enableSemiSync(MySqlClient client, SourceConfig config, boolean mariaDb) throws SourceException {
        String enabled;
        try {
            QueryResult r = client.query(mariaDb ? "SHOW VARIABLES LIKE 'rpl_semi_sync_master_enabled'"
                    : "SELECT @@global.rpl_semi_sync_master_enabled");
            enabled = r.rows().isEmpty() ? null : r.rows().get(0).get(r.columns().size() - 1);
        } catch (MySqlServerException e) {
            enabled = null;
        } catch (IOException e) {
            throw new SourceException("lost connection to source " + config.address() + ": " + e.getMessage(), true, e);
        }
        if (enabled == null) {
            log.warn("--semi-sync: source {} has no semi-synchronous replication (plugin not loaded); replicating asynchronously", config.address());
            return false;
        }
        if (!"ON".equalsIgnoreCase(enabled) && !"1".equals(enabled)) {
            log.warn("--semi-sync: source {} has rpl_semi_sync_master_enabled=OFF; replicating asynchronously", config.address());
            return false;
        }
        execute(client, config, "SET @rpl_semi_sync_slave= 1");
        log.info("semi-synchronous: the source waits for the relay's acknowledgement of each transaction");
        return true;
    }

    public SourceIdentity identity() {
        return identity;
    }

    /**
     * Tells a semi-sync source that everything up to {@code file}:{@code position} is durable: a reply
     * packet of 0xEF, the position (8 bytes) and the file name. Called from the writer's thread after a
     * Kafka commit, while this session's reader keeps reading.
     */
    public void acknowledge(String file, long position) throws SourceException {
        if (!semiSync || closed) {
            return;
        }
        byte[] name = file.getBytes(StandardCharsets.UTF_8);
        byte[] reply = new byte[1 + 8 + name.length];
        reply[0] = (byte) BinlogConstants.SEMI_SYNC_INDICATOR;
        io.binlogbridge.core.binlog.LittleEndian.putInt64(reply, 1, position);
        System.arraycopy(name, 0, reply, 9, name.length);
        try {
            client.channel().writeStandalonePacket(reply);
        } catch (IOException e) {
            throw new SourceException("cannot acknowledge " + file + ":" + position + " to source " + config.address() + ": " + e.getMessage(), true, e);
        }
    }

    public boolean semiSync() {
        return semiSync;
    }

    public int checksumAlgorithm() {
        return checksumAlgorithm;
    }

    /** The source's {@code @@global.binlog_format} (ROW, MIXED or STATEMENT). */
    public String binlogFormat() {
        return binlogFormat;
    }

    public boolean gtidMode() {
        return gtidMode;
    }

    /**
     * What the source has executed, as its binlog holds it: MySQL's {@code @@global.gtid_executed} (a GTID set),
     * MariaDB's {@code @@global.gtid_binlog_pos} (not gtid_current_pos, which also counts transactions applied by
     * replication that a server without log_slave_updates never wrote to its binlog: the relay reads the binlog,
     * and MariaDB serves a GTID position only from there).
     */
    public String executedGtids() throws SourceException {
        QueryResult r = query(client, config, identity.isMariaDb() ? "SELECT @@global.gtid_binlog_pos" : "SELECT @@global.gtid_executed");
        String text = r.rows().isEmpty() ? null : r.rows().get(0).get(0);
        return text == null ? "" : text.replace("\n", "").strip();
    }

    /**
     * How many bytes of binary log the source holds after {@code file:position}: the rest of that file and every
     * later one, from SHOW BINARY LOGS on a short connection of its own; -1 when the source no longer lists the file.
     */
    public static long backlogBytes(SourceConfig config, String file, long position) throws SourceException {
        try (MySqlClient client = connect(config)) {
            return bytesAfter(query(client, config, "SHOW BINARY LOGS").rows(), file, position);
        } catch (IOException e) {
            throw new SourceException("lost connection to source " + config.address() + ": " + e.getMessage(), true, e);
        }
    }

    /** @param logs SHOW BINARY LOGS rows: name, size, ... */
    static long bytesAfter(List<List<String>> logs, String file, long position) {
        long bytes = -1;
        for (List<String> log : logs) {
            long size = Long.parseLong(log.get(1));
            if (bytes >= 0) {
                bytes += size;
            } else if (log.get(0).equals(file)) {
                bytes = Math.max(0, size - position);
            }
        }
        return bytes;
    }

    /** Binary log files the source has, oldest first. */
    public List<String> binaryLogs() throws SourceException {
        QueryResult logs = query(client, config, "SHOW BINARY LOGS");
        List<String> names = new ArrayList<>();
        for (List<String> r : logs.rows()) {
            names.add(r.get(0));
        }
        return names;
    }

    /** Turns earliest, latest and file:NAME:POS into a file position the source has, or fails clearly. */
    public StartPosition.FilePosition resolve(StartPosition start) throws SourceException {
        if (start instanceof StartPosition.FilePosition fp) {
            List<String> logs = binaryLogs();
            if (!logs.contains(fp.file())) {
                throw new SourceException("source " + config.address() + " has no binlog file " + fp.file()
                        + (logs.isEmpty() ? "" : " (it has " + logs.get(0) + " to " + logs.get(logs.size() - 1) + ")")
                        + ": it was purged or never existed", false, null);
            }
            return fp;
        }
        if (start instanceof StartPosition.Earliest) {
            List<String> logs = binaryLogs();
            if (logs.isEmpty()) {
                throw new SourceException("source " + config.address() + " lists no binary logs", false, null);
            }
            return new StartPosition.FilePosition(logs.get(0), BinlogConstants.BIN_LOG_HEADER_SIZE);
        }
        if (start instanceof StartPosition.Latest) {
            QueryResult status = query(client, config, "SHOW MASTER STATUS");
            if (status.rows().isEmpty()) {
                throw new SourceException("source " + config.address() + " has binary logging disabled (SHOW MASTER STATUS is empty)", false, null);
            }
            return new StartPosition.FilePosition(status.rows().get(0).get(0), Long.parseLong(status.rows().get(0).get(1)));
        }
        throw new IllegalArgumentException("resolve() takes file positions, earliest or latest, not " + start);
    }

    /** Asks for the binlog from a file position. */
    public void dumpFrom(String file, long position) throws SourceException {
        dumpFrom(file, position, 0);
    }

    private void dumpFrom(String file, long position, int extraFlags) throws SourceException {
        int flags = extraFlags | (identity.isMariaDb() ? MySqlConstants.BINLOG_SEND_ANNOTATE_ROWS_EVENT : 0);
        try {
            client.sendBinlogDump(file, position, config.serverId(), flags);
        } catch (IOException e) {
            throw new SourceException("lost connection to source " + config.address() + ": " + e.getMessage(), true, e);
        }
        log.info("reading binlog from {}:{}", file, position);
    }

    /**
     * Asks for every transaction not in {@code gtidSet}. MySQL serves it with COM_BINLOG_DUMP_GTID;
     * MariaDB with {@code @slave_connect_state} and COM_BINLOG_DUMP.
     */
    public void dumpGtid(String gtidSet) throws SourceException {
        try {
            if (identity.isMariaDb()) {
                execute(client, config, "SET @slave_connect_state= '" + gtidSet.replace("'", "") + "'");
                execute(client, config, "SET @slave_gtid_strict_mode= 0, @slave_gtid_ignore_duplicates= 0");
                client.sendBinlogDump("", BinlogConstants.BIN_LOG_HEADER_SIZE, config.serverId(), MySqlConstants.BINLOG_SEND_ANNOTATE_ROWS_EVENT);
            } else {
                byte[] encoded = MySqlGtidSet.parse(gtidSet).encode();
                client.sendBinlogDumpGtid("", BinlogConstants.BIN_LOG_HEADER_SIZE, config.serverId(), MySqlConstants.BINLOG_THROUGH_GTID, encoded);
            }
        } catch (IllegalArgumentException e) {
            throw new SourceException("--start gtid:" + gtidSet + " is not a valid GTID set: " + e.getMessage(), false, e);
        } catch (IOException e) {
            throw new SourceException("lost connection to source " + config.address() + ": " + e.getMessage(), true, e);
        }
        log.info("reading binlog after GTID set {}", gtidSet);
    }

    /**
     * Feeds events to the assembler until the session is closed, the source ends a non-blocking dump,
     * or something fails.
     */
    public void stream(RecordAssembler assembler) throws SourceException, InterruptedException {
        BinlogEventReader reader = new BinlogEventReader(client.channel(), semiSync);
        int idleMillis = (int) Math.min(Integer.MAX_VALUE, config.heartbeatPeriod().toMillis() * 2 + 1000);
        try {
            client.channel().setReadTimeout(idleMillis);
            while (!closed) {
                int at = assembler.buffer().size();
                int length = reader.readEvent(assembler.buffer());
                if (length < 0) {
                    return;
                }
                if (semiSync && reader.ackRequested()) {
                    assembler.requestAck();
                }
                assembler.onEvent(at, length);
            }
        } catch (SocketTimeoutException e) {
            throw new SourceException("source " + config.address() + " sent nothing for " + idleMillis
                    + " ms (two heartbeat periods): connection presumed dead", true, e);
        } catch (MySqlServerException e) {
            boolean retryable = e.errorCode() != MySqlConstants.ER_MASTER_FATAL_ERROR_READING_BINLOG
                    && e.errorCode() != MySqlConstants.ER_MASTER_HAS_PURGED_REQUIRED_GTIDS;
            // Before the first event of a GTID dump there is no file position yet: name what was asked.
            String where = assembler.file() == null || assembler.file().isEmpty() ? "the requested GTID set"
                    : "the binlog at " + assembler.file() + ":" + assembler.position();
            throw new SourceException("source " + config.address() + " cannot serve " + where + ": " + e.getMessage(), retryable, e);
        } catch (BinlogFormatException e) {
            throw new SourceException("bad binlog data from source " + config.address() + ": " + e.getMessage(), true, e);
        } catch (IOException e) {
            if (closed) {
                return;
            }
            throw new SourceException("lost connection to source " + config.address() + " at "
                    + assembler.file() + ":" + assembler.position() + ": " + e.getMessage(), true, e);
        }
    }

    /**
     * What a relay starting at {@code file}:{@code position}, in the middle of that file, must know of what comes
     * before: the file's header record, and the GTID state the source had executed at that position. Read on a
     * connection of its own, from the file's start up to the position: the header's GTID state plus every
     * transaction before the position. Fails clearly when the position is not where a transaction begins.
     */
    public static StartPoint fetchStartPoint(SourceConfig config, String file, long position, int term,
            Function<byte[], String> previousGtidsFormatter) throws SourceException, InterruptedException {
        OutgoingRecord[] header = new OutgoingRecord[1];
        ExecutedGtids[] executed = new ExecutedGtids[1];
        long[] reached = {BinlogConstants.BIN_LOG_HEADER_SIZE};
        try (SourceSession session = open(config.withoutSemiSync())) {
            Flavor flavor = session.identity().flavor();
            Function<byte[], String> headerState = event -> {
                String text = previousGtidsFormatter.apply(event);
                executed[0] = ExecutedGtids.of(flavor, text);
                return text;
            };
            RecordAssembler assembler = new RecordAssembler(session.identity(), term, config.chunkSize(),
                    session.checksumAlgorithm(), headerState, record -> {
                        if (!file.equals(record.file())) {
                            session.closed = true; // past the end of the file: the position is not in it
                            return;
                        }
                        if (record.kind() == RecordKind.FILE_HEADER && header[0] == null) {
                            header[0] = record;
                            if (executed[0] == null) {
                                executed[0] = ExecutedGtids.of(flavor, "");
                            }
                        } else if (record.commitPoint() && record.gtid() != null) {
                            executed[0].add(record.gtid());
                        }
                        if (record.commitPoint()) {
                            reached[0] = record.endPosition();
                            if (reached[0] >= position) {
                                session.closed = true;
                            }
                        }
                    });
            assembler.startAt(file, BinlogConstants.BIN_LOG_HEADER_SIZE);
            if (position > BinlogConstants.BIN_LOG_HEADER_SIZE + (1L << 20)) {
                log.info("reading {} up to {} to learn what the source had executed there", file, position);
            }
            session.dumpFrom(file, BinlogConstants.BIN_LOG_HEADER_SIZE, MySqlConstants.BINLOG_DUMP_NON_BLOCK);
            session.stream(assembler);
        }
        if (header[0] == null) {
            throw new SourceException("source " + config.address() + " sent no header events for " + file, true, null);
        }
        if (reached[0] != position) {
            throw new SourceException("--start file:" + file + ":" + position + ": no transaction of " + file + " starts there"
                    + (reached[0] < position ? " (the file ends at " + reached[0] + ")"
                            : " (it is inside the transaction or event that ends at " + reached[0] + ")")
                    + "; start at a position SHOW BINLOG EVENTS lists for a transaction's first event", false, null);
        }
        return new StartPoint(header[0], executed[0].text());
    }

    /** A relay's starting place in the middle of a file: the file's header record and the GTID state there. */
    public record StartPoint(OutgoingRecord header, String gtidState) {}

    /**
     * Where a MariaDB source would start serving a GTID position: its first (fake) ROTATE names the
     * file and position. Lets a MariaDB GTID start be served like a file position start.
     */
    public static StartPosition.FilePosition locateMariaDbGtid(SourceConfig config, String gtidPosition)
            throws SourceException, InterruptedException {
        StartPosition.FilePosition[] found = new StartPosition.FilePosition[1];
        try (SourceSession session = open(config.withoutSemiSync())) {
            RecordAssembler assembler = new RecordAssembler(session.identity(), 0, config.chunkSize(),
                    session.checksumAlgorithm(), bytes -> null, record -> { });
            assembler.startAt("", 0);
            session.dumpGtid(gtidPosition);
            io.binlogbridge.core.io.GrowableBuffer buffer = assembler.buffer();
            BinlogEventReader reader = new BinlogEventReader(session.client.channel(), false);
            try {
                session.client.channel().setReadTimeout((int) config.connectTimeout().toMillis() * 3);
                int length = reader.readEvent(buffer);
                if (length > 0) {
                    assembler.onEvent(0, length);
                    found[0] = new StartPosition.FilePosition(assembler.file(), assembler.position());
                }
            } catch (MySqlServerException e) {
                throw new SourceException("source " + config.address() + " cannot serve GTID position " + gtidPosition + ": " + e.getMessage(), false, e);
            } catch (IOException e) {
                throw new SourceException("lost connection to source " + config.address() + ": " + e.getMessage(), true, e);
            }
        }
        if (found[0] == null || found[0].file().isEmpty()) {
            throw new SourceException("source " + config.address() + " did not say where GTID position " + gtidPosition + " is", false, null);
        }
        return found[0];
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(client);
    }

    /** Stable per relay (server id and address), so a restarted relay replaces its own old dump thread. */
    static UUID replicaUuid(SourceConfig config) {
        return UUID.nameUUIDFromBytes(("binlog-bridge:" + config.serverId() + "@" + config.address()).getBytes(StandardCharsets.UTF_8));
    }

    private static MySqlClient connect(SourceConfig config) throws SourceException {
        try {
            return MySqlClient.connect(new ConnectionSettings(config.host(), config.port(), config.user(), config.password(),
                    config.connectTimeout(), java.time.Duration.ofMillis(Math.max(30_000, config.heartbeatPeriod().toMillis() * 3)),
                    config.tls()));
        } catch (MySqlServerException e) {
            throw rejected(config, "login", e);
        } catch (IOException e) {
            CertificateException refused = SourceCertificateException.certificateFailure(e);
            if (refused != null) {
                throw new SourceCertificateException("cannot verify the TLS certificate of source " + config.address() + " (ssl mode "
                        + config.tls().mode() + ", CA " + config.tls().ca() + "): " + refused.getMessage(), e);
            }
            // MySqlClient already says "cannot connect to source ADDRESS: reason"; do not say it twice.
            String message = e.getMessage() != null && e.getMessage().startsWith("cannot connect to source") ? e.getMessage()
                    : "cannot connect to source " + config.address() + ": " + e.getMessage();
            throw new SourceException(message, true, e);
        }
    }

    private static SourceException rejected(SourceConfig config, String what, MySqlServerException e) {
        int code = e.errorCode();
        boolean retryable = code == MySqlConstants.ER_CON_COUNT_ERROR || code == 1053 /* ER_SERVER_SHUTDOWN */;
        String hint = code == MySqlConstants.ER_ACCESS_DENIED_ERROR ? " (check --source-user and --source-password-file)"
                : code == MySqlConstants.ER_SPECIFIC_ACCESS_DENIED_ERROR ? " (the user needs REPLICATION SLAVE and REPLICATION CLIENT)"
                : code == MySqlConstants.ER_SECURE_TRANSPORT_REQUIRED ? " (the source requires TLS: set --source-ssl-mode)" : "";
        return new SourceException("source " + config.address() + " refused " + what + ": " + e.getMessage() + hint, retryable, e);
    }

    private static QueryResult query(MySqlClient client, SourceConfig config, String sql) throws SourceException {
        try {
            return client.query(sql);
        } catch (MySqlServerException e) {
            throw rejected(config, "'" + sql + "'", e);
        } catch (IOException e) {
            throw new SourceException("lost connection to source " + config.address() + ": " + e.getMessage(), true, e);
        }
    }

    private static void execute(MySqlClient client, SourceConfig config, String sql) throws SourceException {
        try {
            client.execute(sql);
        } catch (MySqlServerException e) {
            throw rejected(config, "'" + sql + "'", e);
        } catch (IOException e) {
            throw new SourceException("lost connection to source " + config.address() + ": " + e.getMessage(), true, e);
        }
    }

    private static void closeQuietly(MySqlClient client) {
        try {
            client.close();
        } catch (IOException | RuntimeException ignored) {
            // Closing a connection that already failed.
        }
    }
}
