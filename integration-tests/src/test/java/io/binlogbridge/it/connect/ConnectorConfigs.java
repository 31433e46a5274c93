package io.binlogbridge.it.connect;

import io.binlogbridge.it.fixtures.SourceDatabase;
import java.util.LinkedHashMap;
import java.util.Map;

/** The connector config docs/connector.md shows, for a test source. */
final class ConnectorConfigs {
    private ConnectorConfigs() {}

    static Map<String, String> of(SourceDatabase source, String user, String password, int serverId, String bootstrap, String topic) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", ConnectWorker.CONNECTOR_CLASS);
        c.put("tasks.max", "1");
        c.put("source.host", source.host());
        c.put("source.port", Integer.toString(source.port()));
        c.put("source.user", user);
        c.put("source.password", password);
        c.put("server.id", Integer.toString(serverId));
        c.put("topic", topic);
        c.put("kafka.bootstrap.servers", bootstrap);
        c.put("heartbeat.period.ms", "1000");
        c.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        c.put("exactly.once.support", "required");
        c.put("transaction.boundary", "connector");
        return c;
    }
}
