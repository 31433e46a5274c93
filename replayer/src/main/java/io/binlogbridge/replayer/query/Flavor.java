package io.binlogbridge.replayer.query;

/** Which server the replayer impersonates; decides variable names, version strings and error wording. */
public enum Flavor {
    MYSQL,
    MARIADB
}
