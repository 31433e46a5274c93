package io.binlogbridge.relay.admin;

import io.binlogbridge.core.replica.SourceConfig;
import io.binlogbridge.core.replica.StartPosition;
import io.binlogbridge.relay.RelaySettings;
import java.util.Optional;

/**
 * What one CHANGE REPLICATION SOURCE TO statement sets; what it leaves out keeps its value, as in MySQL.
 * A new host or port without SOURCE_LOG_FILE/SOURCE_LOG_POS drops a start position given for the previous
 * source: a position only means something on the server it was read from.
 */
public record SourceChange(Optional<String> host, Optional<Integer> port, Optional<String> user, Optional<String> password,
                           Optional<String> logFile, Optional<Long> logPosition) {

    public boolean changesServer() {
        return host.isPresent() || port.isPresent();
    }

    public RelaySettings applyTo(RelaySettings settings) {
        SourceConfig s = settings.source();
        SourceConfig source = new SourceConfig(host.orElse(s.host()), port.orElse(s.port()), user.orElse(s.user()),
                password.orElse(s.password()), s.serverId(), s.heartbeatPeriod(), s.connectTimeout(), s.chunkSize(), s.semiSync());
        StartPosition start = settings.start();
        if (logFile.isPresent() || logPosition.isPresent()) {
            String file = logFile.orElse(start instanceof StartPosition.FilePosition f ? f.file() : "");
            start = new StartPosition.FilePosition(file, logPosition.orElse(4L));
        } else if (changesServer() && start instanceof StartPosition.FilePosition) {
            start = new StartPosition.Earliest();
        }
        return new RelaySettings(source, settings.topic(), settings.kafkaClient(), start, settings.transactionalId(),
                settings.allowUnsafeTopic(), settings.maxCommitDelay(), settings.maxCommitBytes(), settings.queueBytes(),
                settings.startupTimeout(), settings.transactionTimeout());
    }
}
