package io.binlogbridge.it.replayer;

import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.it.support.TopicContents;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/** What the purge tests look at: the topic's beginning, a replayer's SHOW BINARY LOGS and gtid_purged, statements as a user. */
public final class PurgeChecks {
    private PurgeChecks() {}

    /** The topic's first offset (Kafka's log start offset): where deleteRecords left it. */
    public static long beginningOffset(String bootstrap, String topic) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            return admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp).get(30, TimeUnit.SECONDS).offset();
        }
    }

    /** Sets the topic's cleanup.policy (a replayer reads it at each purge). */
    public static void setCleanupPolicy(String bootstrap, String topic, String policy) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(new ConfigEntry(TopicConfig.CLEANUP_POLICY_CONFIG, policy),
                    AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Each source file's first record's offset, in log order. */
    public static Map<String, Long> firstOffsets(String bootstrap, String topic) {
        Map<String, Long> first = new LinkedHashMap<>();
        try (TopicContents contents = new TopicContents(bootstrap, topic)) {
            for (TopicContents.Entry e : contents.readToEnd(Duration.ofSeconds(30))) {
                first.putIfAbsent(e.value().getFile().toString(), e.offset());
            }
        }
        return first;
    }

    public static Connection connect(ReplayerProcess replayer, String user, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + replayer.port()
                + "/?sslMode=DISABLED&allowPublicKeyRetrieval=true&connectTimeout=10000", user, password);
    }

    public static void execute(ReplayerProcess replayer, String user, String password, String sql) throws SQLException {
        try (Connection c = connect(replayer, user, password); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    public static List<String> binaryLogs(ReplayerProcess replayer) throws SQLException {
        try (Connection c = connect(replayer, ReplayerProcess.USER, ReplayerProcess.PASSWORD); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString("Log_name"));
            }
            return names;
        }
    }

    public static MySqlGtidSet gtidPurged(ReplayerProcess replayer) throws SQLException {
        try (Connection c = connect(replayer, ReplayerProcess.USER, ReplayerProcess.PASSWORD); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT @@GLOBAL.gtid_purged")) {
            rs.next();
            return MySqlGtidSet.parse(rs.getString(1));
        }
    }
}
