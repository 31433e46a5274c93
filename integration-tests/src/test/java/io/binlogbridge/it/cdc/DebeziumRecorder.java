package io.binlogbridge.it.cdc;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The main class of a Debezium JVM the tests can kill: {@code DebeziumRecorder CONFIG EVENTS} runs Debezium's embedded
 * engine with the connector settings in CONFIG and appends each change event to EVENTS as a {@link ChangeEventLines}
 * line, flushed before the engine may count the event as handled. Offsets the engine commits therefore never run
 * ahead of the file, which is what "no event lost across a kill" is checked against.
 */
public final class DebeziumRecorder {
    private DebeziumRecorder() {}

    public static void main(String[] args) throws IOException {
        Properties config = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(args[0]))) {
            config.load(in);
        }
        BufferedWriter out = Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(config)
                .notifying(event -> append(out, ChangeEventLines.of(event.record())))
                .using((success, message, error) -> {
                    if (!success) {
                        System.err.println("Debezium stopped: " + message);
                        if (error != null) {
                            error.printStackTrace();
                        }
                        Runtime.getRuntime().halt(2);
                    }
                })
                .build();
        engine.run();
    }

    private static void append(BufferedWriter out, String line) {
        if (line == null) {
            return;
        }
        try {
            out.write(line);
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
