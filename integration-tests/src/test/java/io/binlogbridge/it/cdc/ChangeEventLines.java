package io.binlogbridge.it.cdc;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * A Debezium change event as one "schema.table op before -> after" line, which compares across servers and runs;
 * schema changes, heartbeats and tombstones have none. Depends on Kafka Connect's data classes only, so that it also
 * loads in a Debezium JVM of another version.
 */
final class ChangeEventLines {
    private ChangeEventLines() {}

    /** The line for {@code record}, or null when it is not a row change. */
    static String of(SourceRecord record) {
        if (!(record.value() instanceof Struct value) || value.schema().field("op") == null) {
            return null;
        }
        Struct source = value.getStruct("source");
        return source.getString("db") + "." + source.getString("table") + " " + value.getString("op") + " "
                + value.get("before") + " -> " + value.get("after");
    }
}
