package io.binlogbridge.it.replicas;

import java.nio.file.Files;
import java.nio.file.Path;

/** Client binaries from the Debian package mariadb-client. */
final class MariaDbBinaries {
    private MariaDbBinaries() {}

    static String mariadbBinlog() {
        for (String dir : new String[] {System.getProperty("binlogbridge.mariadb.bin", "/usr/bin"), "/usr/bin", "/usr/local/bin"}) {
            Path p = Path.of(dir, "mariadb-binlog");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException("mariadb-binlog not found: install the Debian package mariadb-client");
    }
}
