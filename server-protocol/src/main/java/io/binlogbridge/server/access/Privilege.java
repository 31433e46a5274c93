package io.binlogbridge.server.access;

import java.util.Locale;

/** What a user may do; MySQL's nearest privilege names what a refusal reports. */
public enum Privilege {
    /** Dump the log and send the queries replicas send first (MySQL's REPLICATION SLAVE). */
    REPLICATION("REPLICATION SLAVE"),
    /** PURGE BINARY LOGS and other admin statements (MySQL's SUPER). */
    ADMIN("SUPER"),
    /** SHOW statements and status (MySQL's REPLICATION CLIENT). */
    MONITOR("REPLICATION CLIENT");

    private final String mysqlName;

    Privilege(String mysqlName) {
        this.mysqlName = mysqlName;
    }

    /** The MySQL privilege named in ER_SPECIFIC_ACCESS_DENIED_ERROR. */
    public String mysqlName() {
        return mysqlName;
    }

    /** The users file's name: {@code replication}, {@code admin}, {@code monitor}. */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Privilege ofFileName(String name) {
        for (Privilege p : values()) {
            if (p.fileName().equals(name)) {
                return p;
            }
        }
        return null;
    }
}
