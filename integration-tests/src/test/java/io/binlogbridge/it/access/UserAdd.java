package io.binlogbridge.it.access;

import io.binlogbridge.it.fixtures.Processes;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code java -jar replayer.jar user add NAME ...}, run as an operator would, password on stdin. */
final class UserAdd {
    private UserAdd() {}

    /** Returns the users file line it printed, after checking it holds no password. */
    static String line(String name, String password, String... options) {
        List<String> cmd = new ArrayList<>(List.of(Processes.javaLauncher(), "-jar",
                System.getProperty("replayer.jar", "../replayer/target/replayer.jar"), "user", "add", name));
        cmd.addAll(List.of(options));
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            p.getOutputStream().write((password + "\n").getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "user add " + name + " exits 0");
            assertTrue(line.startsWith(name + ":") && !line.contains(password), "a hashed line: " + line);
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
