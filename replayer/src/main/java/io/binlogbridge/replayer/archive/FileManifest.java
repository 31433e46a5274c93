package io.binlogbridge.replayer.archive;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the archive says about one binlog file ({@code manifest/NAME.json}), written after the file itself: a file
 * counts as archived only when its manifest exists and matches the object.
 *
 * @param name the file's name in the archive, as the replayer presents it
 * @param sourceName the file's name on its source (differs from {@code name} in later terms)
 * @param term the term (source) the file comes from
 * @param flavor MYSQL or MARIADB
 * @param serverUuid the source's server_uuid (MySQL)
 * @param serverId the source's server_id
 * @param size bytes, 4-byte magic included
 * @param sha256 hex SHA-256 of the whole file
 * @param gtidsAtStart the GTID state before the file's first transaction (MySQL GTID set, MariaDB GTID position)
 * @param gtidsAtEnd the GTID state after its last transaction
 * @param firstGtid GTID of its first transaction; null when it holds none
 * @param lastGtid GTID of its last transaction; null when it holds none
 * @param transactions transactions (and DDL) in the file
 * @param firstEventTimestamp header timestamp of the file's first event (seconds since the epoch)
 * @param lastEventTimestamp header timestamp of the first event of its last record (its ROTATE, or last transaction)
 * @param firstEventTime {@code firstEventTimestamp} as UTC ISO-8601, for people
 * @param lastEventTime {@code lastEventTimestamp} as UTC ISO-8601
 * @param topicOffsets the topic offsets the file was read from, [first, end)
 * @param archivedAt when the archiver wrote it (UTC ISO-8601)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record FileManifest(
        String name,
        String sourceName,
        int term,
        String flavor,
        String serverUuid,
        long serverId,
        long size,
        String sha256,
        String gtidsAtStart,
        String gtidsAtEnd,
        String firstGtid,
        String lastGtid,
        long transactions,
        long firstEventTimestamp,
        long lastEventTimestamp,
        String firstEventTime,
        String lastEventTime,
        long[] topicOffsets,
        String archivedAt) {

    /** Same file of the same log: name, term and source name agree. */
    boolean describes(String presentedName, int fileTerm, String fileSourceName) {
        return name.equals(presentedName) && term == fileTerm && sourceName.equals(fileSourceName);
    }
}
