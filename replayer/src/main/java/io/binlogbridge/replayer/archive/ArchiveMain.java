package io.binlogbridge.replayer.archive;

import io.binlogbridge.core.config.OptionException;
import io.binlogbridge.core.config.OptionSet;
import io.binlogbridge.replayer.ReplayerMain;
import io.binlogbridge.replayer.log.LogConsumers;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.replayer.log.LogIndexer;
import io.binlogbridge.replayer.purge.ArchiveGuard;
import io.binlogbridge.replayer.purge.KafkaPurger;
import io.binlogbridge.replayer.purge.Retention;
import io.binlogbridge.replayer.snapshot.IndexSnapshotStore;
import io.binlogbridge.replayer.snapshot.SnapshotRestorer;
import io.binlogbridge.schemas.Flavor;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar replayer.jar archive --kafka-bootstrap B --topic T --to DEST [--once]} and
 * {@code java -jar replayer.jar archive find --to DEST (--gtid-set S | --until T)}. Exit status: 0 done, 1 a failure
 * (one line on stderr naming it), 2 bad options.
 */
public final class ArchiveMain {
    private static final Logger log = LoggerFactory.getLogger(ArchiveMain.class);
    public static final String COMMAND = "archive";
    public static final String FIND = "find";
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = ReplayerMain.EXIT_USAGE;
    /** How often continuous mode looks for a newly closed file. */
    private static final long POLL_MILLIS = 1000;

    private ArchiveMain() {}

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) throws InterruptedException {
        if (args.length > 0 && args[0].equals(FIND)) {
            return find(Arrays.copyOfRange(args, 1, args.length), env, out, err);
        }
        if (OptionSet.wantsHelp(args)) {
            out.print(ArchiveConfig.DEFINITION.help());
            return 0;
        }
        ArchiveConfig config;
        Properties kafka;
        try {
            config = ArchiveConfig.parse(args, env);
            kafka = ReplayerMain.kafkaProperties(config.kafkaProperties(), config.kafkaBootstrap());
        } catch (OptionException e) {
            err.println("archive: " + e.getMessage());
            return EXIT_USAGE;
        }
        try (ArchiveStorage storage = ArchiveStorage.open(config.to(), config.s3(), config.partSize())) {
            return config.once() ? once(config, kafka, storage, err) : continuous(config, kafka, storage);
        } catch (ArchiveException e) {
            err.println("archive: " + e.getMessage());
            return EXIT_FAILURE;
        }
    }

    private static int once(ArchiveConfig config, Properties kafka, ArchiveStorage storage, PrintStream err) throws InterruptedException {
        try {
            // The archive first: a bad destination is named before anything waits on Kafka.
            storage.check();
            try {
                if (!ReplayerMain.topicExists(kafka, config.kafkaBootstrap(), config.topic())) {
                    err.println("archive: topic " + config.topic() + " does not exist at " + config.kafkaBootstrap());
                    return EXIT_FAILURE;
                }
            } catch (IOException e) {
                err.println("archive: " + e.getMessage());
                return EXIT_FAILURE;
            }
            try (IndexedLog logReader = IndexedLog.open(kafka, config.topic(), config.indexTopic());
                    TopicRetention retention = TopicRetention.of(config, logReader, storage)) {
                Archiver archiver = logReader.archiver(storage);
                archiver.resume();
                int copied = archiver.archiveClosedFiles();
                log.info("archived {} file(s) to {}; the log's last file stays open", copied, storage.describe());
                retention.apply();
            }
            return 0;
        } catch (ArchiveException e) {
            err.println("archive: " + e.getMessage());
            return EXIT_FAILURE;
        }
    }

    private static int continuous(ArchiveConfig config, Properties kafka, ArchiveStorage storage) throws InterruptedException {
        try (IndexedLog logReader = IndexedLog.open(kafka, config.topic(), config.indexTopic());
                TopicRetention retention = TopicRetention.of(config, logReader, storage)) {
            Archiver archiver = logReader.archiver(storage);
            long backoff = 1000;
            boolean prepared = false;
            while (true) {
                try {
                    if (!prepared) {
                        archiver.prepare();
                        prepared = true;
                    }
                    archiver.archiveClosedFiles();
                    retention.apply();
                    backoff = 1000;
                    Thread.sleep(POLL_MILLIS);
                } catch (ArchiveException e) {
                    log.warn("archiving to {} failed: {}; retrying in {} s", storage.describe(), e.getMessage(), backoff / 1000);
                    prepared = false;
                    Thread.sleep(backoff);
                    backoff = Math.min(backoff * 2, config.maxBackoff().toMillis());
                }
            }
        }
    }

    /**
     * {@code --retain-*}: after each pass, purges from the topic the archived files the policy no longer keeps. The
     * archiver is where retention belongs: it knows what the archive holds, and runs whether or not a replayer does.
     */
    private record TopicRetention(KafkaPurger purger, Retention retention) implements AutoCloseable {
        static TopicRetention of(ArchiveConfig config, IndexedLog log, ArchiveStorage storage) {
            if (config.retention() == null) {
                return new TopicRetention(null, null);
            }
            KafkaPurger purger = new KafkaPurger(log.index(), log.consumers(), ZoneId.systemDefault(),
                    ArchiveGuard.borrowing(storage, log.index()));
            ArchiveMain.log.info("retention: {} of topic {}, purging only files {} holds", config.retention(), config.topic(),
                    storage.describe());
            return new TopicRetention(purger, new Retention(purger, log.index(), config.retention(), Clock.systemDefaultZone()));
        }

        void apply() {
            if (retention != null) {
                retention.check();
            }
        }

        @Override
        public void close() {
            if (purger != null) {
                purger.close();
            }
        }
    }

    /** The index the archiver keeps of the log: it reports nothing to clients, so no server id or flavor of its own. */
    static LogIndex newIndex() {
        return new LogIndex(null, Flavor.MYSQL);
    }

    /**
     * The log's index, restored from a replayer's snapshot when one holds and kept current by its indexer.
     * The archiver only reads snapshots, never writes them (nor creates their topic): replayers own them, the archiver
     * may run with read-only Kafka credentials, and with --once it exits right after its pass, so a snapshot of its
     * own would rarely be newer than the replayers'.
     */
    private record IndexedLog(LogIndex index, LogConsumers consumers, LogIndexer indexer) implements AutoCloseable {
        /** @param indexTopic the side topic of index snapshots; null: none, the whole topic is read */
        static IndexedLog open(Properties kafka, String topic, String indexTopic) throws InterruptedException {
            LogIndex index = newIndex();
            LogConsumers consumers = new LogConsumers(kafka, topic);
            SnapshotRestorer restorer = indexTopic == null ? null
                    : SnapshotRestorer.readOnly(new IndexSnapshotStore(kafka, topic, indexTopic), consumers);
            LogIndexer indexer = new LogIndexer(consumers, index, restorer, null);
            indexer.start();
            while (!index.awaitReady(10, TimeUnit.SECONDS)) {
                log.info("still indexing topic {} ({} records so far)", topic, index.nextOffset());
            }
            return new IndexedLog(index, consumers, indexer);
        }

        Archiver archiver(ArchiveStorage storage) {
            return new Archiver(index, consumers, storage);
        }

        @Override
        public void close() {
            indexer.close();
        }
    }

    private static int find(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (OptionSet.wantsHelp(args)) {
            out.print(ArchiveConfig.FIND_DEFINITION.help());
            return 0;
        }
        ArchiveConfig.Find config;
        try {
            config = ArchiveConfig.parseFind(args, env);
        } catch (OptionException e) {
            err.println("archive find: " + e.getMessage());
            return EXIT_USAGE;
        }
        try (ArchiveStorage storage = ArchiveStorage.open(config.to(), config.s3(), ArchiveConfig.FIND_PART_SIZE)) {
            List<FileManifest> files = ArchiveIndex.load(storage).files();
            if (files.isEmpty()) {
                err.println("archive find: " + storage.describe() + " holds no archived file (no " + ArchiveLayout.INDEX + ")");
                return EXIT_FAILURE;
            }
            Long until = config.until() == null ? null : config.until().atZone(ZoneId.systemDefault()).toEpochSecond();
            for (ArchiveFind.Step step : ArchiveFind.plan(files, config.gtidSet(), until)) {
                out.println(step);
            }
            return 0;
        } catch (ArchiveException e) {
            err.println("archive find: " + e.getMessage());
            return EXIT_FAILURE;
        }
    }
}
