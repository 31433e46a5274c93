package io.binlogbridge.replayer;

import io.binlogbridge.replayer.config.CommandLine;
import io.binlogbridge.replayer.config.ConfigDef;
import io.binlogbridge.replayer.config.ConfigException;
import io.binlogbridge.replayer.config.ConfigDef.Type;
import java.nio.file.Path;
import java.util.Map;

/** The replayer's options, declared once; {@code --help} is generated from {@link #DEFINITION}. */
public record ReplayerConfig(
        String kafkaBootstrap,
        String topic,
        int port,
        Path usersFile,
        long serverId,
        String bindAddress,
        int maxPacketSize) {

    public static final String KAFKA_BOOTSTRAP = "kafka-bootstrap";
    public static final String TOPIC = "topic";
    public static final String PORT = "port";
    public static final String USERS_FILE = "users-file";
    public static final String SERVER_ID = "server-id";
    public static final String BIND_ADDRESS = "bind-address";
    public static final String MAX_PACKET_SIZE = "max-packet-size";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(KAFKA_BOOTSTRAP, Type.HOST_PORT, ConfigDef.NO_DEFAULT,
                    "Kafka bootstrap servers holding the binlog topic.")
            .define(TOPIC, Type.STRING, ConfigDef.NO_DEFAULT,
                    "The binlog topic to serve (written by relay-server or the connector).")
            .define(PORT, Type.INT, ConfigDef.NO_DEFAULT,
                    "TCP port for MySQL protocol clients (replicas, CDC tools).")
            .define(USERS_FILE, Type.PATH, ConfigDef.NO_DEFAULT,
                    "File of user:password lines that may connect.")
            .define(SERVER_ID, Type.LONG, 1L,
                    "Server id reported as @@server_id; must differ from every replica's.")
            .define(BIND_ADDRESS, Type.STRING, "0.0.0.0",
                    "Address to listen on.")
            .define(MAX_PACKET_SIZE, Type.INT, 16 * 1024 * 1024,
                    "Largest command packet accepted from a client, in bytes (larger: ERR 1153 and close).");

    public static final String SUMMARY = "Serves the MySQL replication protocol from a binlog-bridge Kafka topic.";

    public static ReplayerConfig from(CommandLine.Parsed parsed) {
        return new ReplayerConfig(
                parsed.getString(KAFKA_BOOTSTRAP),
                parsed.getString(TOPIC),
                parsed.getInt(PORT),
                parsed.getPath(USERS_FILE),
                parsed.getLong(SERVER_ID),
                parsed.getString(BIND_ADDRESS),
                parsed.getInt(MAX_PACKET_SIZE));
    }

    /** Parses and validates; null when --help was asked for. */
    public static ReplayerConfig parse(String[] args, Map<String, String> env) {
        CommandLine.Parsed parsed = CommandLine.parse(DEFINITION, args, env);
        if (parsed.helpRequested()) {
            return null;
        }
        ReplayerConfig config = from(parsed);
        if (config.port() < 0 || config.port() > 65535) {
            throw new ConfigException("--port must be 0..65535, got " + config.port());
        }
        if (config.serverId() < 1 || config.serverId() > 0xFFFFFFFFL) {
            throw new ConfigException("--server-id must be 1..4294967295, got " + config.serverId());
        }
        return config;
    }
}
