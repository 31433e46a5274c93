package io.binlogbridge.it.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MariaDbServer;
import io.binlogbridge.it.fixtures.Processes;
import io.binlogbridge.it.fixtures.TestDirs;
import io.binlogbridge.it.replayer.ReplayerProcess;
import io.binlogbridge.it.support.Cleanup;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: a raw dump ({@code mariadb-binlog --read-from-remote-server --raw}) of a ~100 MB log through TLS, with the
 * certificate verified, gives the same bytes as through a plain connection. Prints both dumps' throughput (a single
 * measurement on a shared machine, not a benchmark): the figure the issue asks for, TLS next to plaintext.
 */
class TlsDumpThroughputTest {
    private static final String TOPIC = "access-tls-throughput";
    private static final String PASSWORD = "Dump-Tls-1";
    private static final int ROWS = 100;
    private static Certificates certs;
    private static KafkaBroker kafka;
    private static MariaDbServer source;
    private static RelayProcess relay;
    private static ReplayerProcess replayer;
    private static String firstFile;

    @BeforeAll
    static void start() {
        certs = Certificates.generate(TestDirs.newTempDir("certs"));
        kafka = KafkaBroker.launch();
        source = MariaDbServer.builder().serverId(91).name("mariadb-src-tls-dump").start();
        source.createReplicationUser("relay", "relay-Secret1");
        firstFile = source.currentBinlogFile();
        source.execute("CREATE DATABASE big", "CREATE TABLE big.blobs (id INT PRIMARY KEY, payload LONGBLOB)");
        String[] inserts = new String[ROWS];
        for (int i = 0; i < ROWS; i++) {
            // 1 MiB rows: the ROW event carries them whole, so the log is about ROWS MiB.
            inserts[i] = "INSERT INTO big.blobs VALUES (" + i + ", REPEAT(CHAR(65 + " + (i % 26) + "), 1048576))";
        }
        source.execute(inserts);
        relay = RelayProcess.of(source, "relay", "relay-Secret1", 4091, kafka.bootstrap(), TOPIC).start();
        try (TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
            contents.pollUntil(TopicContents.reached(source.currentBinlogFile(), source.currentBinlogPosition()),
                    Duration.ofMinutes(5), "relay to reach the source's end");
        }
        replayer = ReplayerProcess.startWithUsers(UserAdd.line("maria", PASSWORD, "--auth-plugin", "mysql_native_password") + "\n",
                kafka.bootstrap(), TOPIC, "--tls-cert", certs.serverCert.toString(), "--tls-key", certs.serverKey.toString());
    }

    @AfterAll
    static void stop() {
        Cleanup.closeAll(replayer, relay, source, kafka);
    }

    @Test
    void rawDumpThroughTlsHasTheSameBytesAsPlain() throws Exception {
        List<String> figures = new ArrayList<>();
        Map<String, String> plain = null;
        Map<String, String> tls = null;
        for (int round = 1; round <= 2; round++) {
            plain = dump(false, "plain-" + round, figures);
            tls = dump(true, "tls-" + round, figures);
        }
        assertEquals(plain, tls, "file → size and SHA-256 through TLS and plain");
        System.out.println("[measurement] mariadb-binlog --raw from the replayer, " + String.join("; ", figures));
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Dumps the whole log into a new directory; returns file name → size and SHA-256 (the files are deleted). */
    private static Map<String, String> dump(boolean tls, String name, List<String> figures) throws IOException {
        Path dir = TestDirs.newTempDir("dump-" + name);
        Path out = Files.createDirectories(dir.resolve("out"));
        List<String> cmd = new ArrayList<>(List.of("mariadb-binlog", "--no-defaults", "--read-from-remote-server", "--raw",
                "--host=127.0.0.1", "--port=" + replayer.port(), "--user=maria", "--password=" + PASSWORD));
        if (tls) {
            cmd.addAll(List.of("--ssl", "--ssl-verify-server-cert", "--ssl-ca=" + certs.ca));
        }
        cmd.addAll(List.of("--result-file=" + out + "/", "--to-last-log", firstFile));
        long start = System.nanoTime();
        Processes.run(cmd, dir.resolve("mariadb-binlog.log"), Duration.ofMinutes(5));
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, String> files = new TreeMap<>();
        long bytes = 0;
        try (Stream<Path> list = Files.list(out)) {
            for (Path p : list.toList()) {
                long size = Files.size(p);
                bytes += size;
                files.put(p.getFileName().toString(), size + " bytes, sha256 " + sha256(p));
                Files.delete(p); // 100 MB per dump on a shared disk
            }
        }
        assertTrue(bytes > ROWS * 1_000_000L, name + ": the log holds the rows: " + bytes + " bytes");
        figures.add(String.format("%s: %d MB in %.2f s = %.0f MB/s", name, bytes / 1_000_000, seconds, bytes / 1e6 / seconds));
        return files;
    }
}
