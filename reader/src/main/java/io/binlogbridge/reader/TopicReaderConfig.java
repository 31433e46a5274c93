package io.binlogbridge.reader;

import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer.CompatibilityMode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Everything a {@link TopicReader} can be told, in one place. Build with {@link #builder()}; each builder method
 * documents its option. Immutable.
 */
public final class TopicReaderConfig {
    /** Default {@link Builder#fetchBytes}: large enough for a chunk (256 KiB by default) many times over. */
    public static final int DEFAULT_FETCH_BYTES = 8 << 20;
    /** Default {@link Builder#clientId}. */
    public static final String DEFAULT_CLIENT_ID = "binlog-bridge-reader";

    private final String bootstrapServers;
    private final Map<String, Object> consumerProperties;
    private final String topic;
    private final StartPosition start;
    private final List<Pattern> includeTables;
    private final List<Pattern> excludeTables;
    private final boolean decodeEvents;
    private final Set<CompatibilityMode> compatibilityModes;
    private final int fetchBytes;
    private final String clientId;

    private TopicReaderConfig(Builder b) {
        this.bootstrapServers = b.bootstrapServers;
        this.consumerProperties = Map.copyOf(b.consumerProperties);
        this.topic = b.topic;
        this.start = b.start;
        this.includeTables = List.copyOf(b.includeTables);
        this.excludeTables = List.copyOf(b.excludeTables);
        this.decodeEvents = b.decodeEvents;
        this.compatibilityModes = Set.copyOf(b.compatibilityModes);
        this.fetchBytes = b.fetchBytes;
        this.clientId = b.clientId;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Map<String, Object> consumerProperties() {
        return consumerProperties;
    }

    public String topic() {
        return topic;
    }

    public StartPosition start() {
        return start;
    }

    public List<Pattern> includeTables() {
        return includeTables;
    }

    public List<Pattern> excludeTables() {
        return excludeTables;
    }

    public boolean decodeEvents() {
        return decodeEvents;
    }

    public Set<CompatibilityMode> compatibilityModes() {
        return compatibilityModes;
    }

    public int fetchBytes() {
        return fetchBytes;
    }

    public String clientId() {
        return clientId;
    }

    public static final class Builder {
        private String bootstrapServers;
        private final Map<String, Object> consumerProperties = new HashMap<>();
        private String topic;
        private StartPosition start = StartPosition.beginning();
        private final List<Pattern> includeTables = new ArrayList<>();
        private final List<Pattern> excludeTables = new ArrayList<>();
        private boolean decodeEvents = true;
        private final Set<CompatibilityMode> compatibilityModes = EnumSet.noneOf(CompatibilityMode.class);
        private int fetchBytes = DEFAULT_FETCH_BYTES;
        private String clientId = DEFAULT_CLIENT_ID;

        private Builder() {}

        /** Required (here or as {@code bootstrap.servers} in {@link #consumerProperty}): the Kafka cluster, {@code host:port,...}. */
        public Builder bootstrapServers(String servers) {
            this.bootstrapServers = Objects.requireNonNull(servers, "servers");
            return this;
        }

        /**
         * Any other Kafka consumer setting (security, timeouts). The reader's own settings win over these:
         * {@code isolation.level=read_committed} (never part of a transaction nor an aborted write), no
         * {@code group.id} and {@code enable.auto.commit=false} (the reader keeps its own position), byte-array
         * deserializers, {@code auto.offset.reset=none} (a purged resume offset is an error, not a jump) and
         * {@code allow.auto.create.topics=false} (a reader must not create the log's topic with the broker's defaults).
         */
        public Builder consumerProperty(String name, Object value) {
            consumerProperties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Required: the binlog topic a relay writes ({@code --topic} of relay-server). */
        public Builder topic(String topic) {
            this.topic = Objects.requireNonNull(topic, "topic");
            return this;
        }

        /** Where to begin; {@link StartPosition#beginning()} by default. */
        public Builder start(StartPosition start) {
            this.start = Objects.requireNonNull(start, "start");
            return this;
        }

        /**
         * Return row events only of tables whose {@code schema.table} matches one of these regular expressions in full
         * (e.g. {@code shop\.orders}, {@code shop\..*}). None (the default): every table. A table's TABLE_MAP and row
         * events that are filtered out are never decoded.
         */
        public Builder includeTables(String... patterns) {
            includeTables.addAll(compile(patterns));
            return this;
        }

        /** Leave out the row events of tables whose {@code schema.table} matches one of these in full; wins over includes. */
        public Builder excludeTables(String... patterns) {
            excludeTables.addAll(compile(patterns));
            return this;
        }

        /**
         * Decode events with mysql-binlog-connector-java (the default). Off: {@link Transaction#events()} is empty and
         * only {@link Transaction#rawEvents()} is filled, which is much faster for readers that only move bytes.
         */
        public Builder decodeEvents(boolean decode) {
            this.decodeEvents = decode;
            return this;
        }

        /**
         * mysql-binlog-connector-java's {@code EventDeserializer.CompatibilityMode}s for decoding row values (Debezium
         * uses {@code DATE_AND_TIME_AS_LONG_MICRO}, {@code CHAR_AND_BINARY_AS_BYTE_ARRAY}, {@code INVALID_DATE_AND_TIME_AS_MIN_VALUE}).
         * None by default: the library's defaults.
         */
        public Builder compatibilityModes(CompatibilityMode... modes) {
            compatibilityModes.addAll(List.of(modes));
            return this;
        }

        /**
         * Most bytes one fetch brings ({@code max.partition.fetch.bytes} and {@code fetch.max.bytes}); 8 MiB by
         * default. Bounds what a poll holds, besides one chunked transaction being put back together.
         */
        public Builder fetchBytes(int bytes) {
            if (bytes < 64 << 10) {
                throw new IllegalArgumentException("fetchBytes " + bytes + " is below 64 KiB");
            }
            this.fetchBytes = bytes;
            return this;
        }

        /** The Kafka {@code client.id}, for the broker's logs and quotas; {@value TopicReaderConfig#DEFAULT_CLIENT_ID} by default. */
        public Builder clientId(String clientId) {
            this.clientId = Objects.requireNonNull(clientId, "clientId");
            return this;
        }

        public TopicReaderConfig build() {
            if (topic == null) {
                throw new IllegalArgumentException("topic is required");
            }
            if (bootstrapServers == null && !consumerProperties.containsKey("bootstrap.servers")) {
                throw new IllegalArgumentException("bootstrapServers is required");
            }
            return new TopicReaderConfig(this);
        }

        private static List<Pattern> compile(String... patterns) {
            List<Pattern> compiled = new ArrayList<>();
            for (String p : patterns) {
                try {
                    compiled.add(Pattern.compile(p));
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("table pattern '" + p + "' is not a regular expression: " + e.getDescription(), e);
                }
            }
            return compiled;
        }
    }
}
