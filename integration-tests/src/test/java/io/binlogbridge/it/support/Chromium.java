package io.binlogbridge.it.support;

import io.binlogbridge.it.fixtures.Processes;
import io.binlogbridge.it.fixtures.TestDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Debian's {@code chromium}, headless: renders a page as a user's browser does and saves a screenshot. CI installs
 * the package ({@code scripts/install-packages.sh}); without it the caller fails, naming the package.
 */
public final class Chromium {
    /** PNG's 8-byte signature. */
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private Chromium() {}

    /** The browser binary; fails, naming the Debian package, when it is not installed. */
    public static Path binary() {
        for (String candidate : new String[] {System.getProperty("chromium.binary", ""), "/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
            if (!candidate.isEmpty() && Files.isExecutable(Paths.get(candidate))) {
                return Paths.get(candidate);
            }
        }
        throw new AssertionError("chromium is not installed: install the Debian package 'chromium'"
                + " (bash scripts/install-packages.sh installs it, as .ci/run does), or name the binary with -Dchromium.binary=PATH");
    }

    /**
     * Loads {@code url} in a fresh profile at 1280x900 and writes a screenshot to {@code png}; checks that it is a PNG
     * of some substance (the signature, more than {@code minBytes}).
     */
    public static Path screenshot(String url, Path png, long minBytes) {
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            Files.deleteIfExists(png);
            Path profile = TestDirs.newTempDir("chromium-profile");
            List<String> command = List.of(binary().toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--hide-scrollbars", "--user-data-dir=" + profile, "--screenshot=" + png.toAbsolutePath(), "--window-size=1280,900",
                    url);
            Processes.run(command, profile.resolve("chromium.log"), Duration.ofSeconds(90));
            if (!Files.isRegularFile(png)) {
                throw new AssertionError("chromium wrote no screenshot " + png + "; log " + profile.resolve("chromium.log"));
            }
            byte[] bytes = Files.readAllBytes(png);
            if (bytes.length < PNG.length || !Arrays.equals(Arrays.copyOf(bytes, PNG.length), PNG)) {
                throw new AssertionError(png + " is not a PNG (" + bytes.length + " bytes)");
            }
            if (bytes.length <= minBytes) {
                throw new AssertionError(png + " is only " + bytes.length + " bytes: a blank page?");
            }
            return png;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where screenshots are kept with the test output: {@code integration-tests/target/screenshots}. */
    public static Path screenshotDir() {
        String basedir = System.getProperty("basedir");
        return (basedir != null ? Paths.get(basedir) : Paths.get("")).resolve("target").resolve("screenshots").toAbsolutePath();
    }
}
