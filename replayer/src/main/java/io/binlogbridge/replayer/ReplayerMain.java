package io.binlogbridge.replayer;

import io.binlogbridge.replayer.config.ConfigException;
import io.binlogbridge.replayer.query.BinaryLog;
import io.binlogbridge.replayer.query.BinlogPosition;
import io.binlogbridge.replayer.query.Flavor;
import io.binlogbridge.replayer.query.LogState;
import io.binlogbridge.replayer.query.ServerIdentity;
import io.binlogbridge.replayer.query.StaticLogState;
import io.binlogbridge.replayer.server.ReplayerServer;
import io.binlogbridge.replayer.server.UnavailableDumpRequestHandler;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar replayer.jar --kafka-bootstrap HOST:PORT --topic T --port P --users-file F [--server-id N]}. */
public final class ReplayerMain {
    public static final int EXIT_USAGE = 2;

    private ReplayerMain() {}

    public static void main(String[] args) throws InterruptedException {
        ReplayerConfig config;
        try {
            config = parseOrExit(args, System.getenv(), System.out, System.err);
        } catch (ExitException e) {
            System.exit(e.code);
            return;
        }
        Map<String, String> users;
        try {
            users = UsersFile.load(config.usersFile());
        } catch (ConfigException e) {
            System.err.println("replayer: " + e.getMessage());
            System.exit(EXIT_USAGE);
            return;
        }
        ReplayerServer server = new ReplayerServer(new ReplayerServer.Settings(config.bindAddress(), config.port(), users,
                placeholderLogStateUntilKafkaIsWired(config), UnavailableDumpRequestHandler.INSTANCE,
                config.maxPacketSize(), 0));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "replayer-shutdown"));
        try {
            server.start();
        } catch (Exception e) {
            System.err.println("replayer: cannot listen on " + config.bindAddress() + ":" + config.port() + ": " + e);
            server.close();
            System.exit(1);
            return;
        }
        stopped.await();
    }

    /** Thrown instead of System.exit so the parsing is testable. */
    static final class ExitException extends Exception {
        final int code;

        ExitException(int code) {
            super(null, null, false, false);
            this.code = code;
        }
    }

    static ReplayerConfig parseOrExit(String[] args, Map<String, String> env, PrintStream out, PrintStream err) throws ExitException {
        try {
            ReplayerConfig config = ReplayerConfig.parse(args, env);
            if (config == null) {
                out.print(ReplayerConfig.DEFINITION.help("java -jar replayer.jar", ReplayerConfig.SUMMARY));
                throw new ExitException(0);
            }
            return config;
        } catch (ConfigException e) {
            err.println("replayer: " + e.getMessage() + " (see --help)");
            throw new ExitException(EXIT_USAGE);
        }
    }

    /**
     * PLACEHOLDER: a fixed MySQL 8.0 identity with an empty log, so the protocol server runs before the
     * Kafka-backed LogState (which learns the source's identity and files from the topic) is wired.
     */
    static LogState placeholderLogStateUntilKafkaIsWired(ReplayerConfig config) {
        String uuid = UUID.nameUUIDFromBytes(config.topic().getBytes(StandardCharsets.UTF_8)).toString();
        ServerIdentity identity = new ServerIdentity(Flavor.MYSQL, "8.0.40", config.serverId(), uuid, "CRC32", true, 0,
                "binlog-bridge replayer");
        return new StaticLogState(identity, List.of(new BinaryLog("binlog.000001", 4, false)),
                new BinlogPosition("binlog.000001", 4), "", "");
    }
}
