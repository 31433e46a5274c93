package io.binlogbridge.replayer.dump;

import static io.binlogbridge.core.binlog.BinlogConstants.*;

import io.binlogbridge.core.binlog.ChecksumAlgorithms;
import io.binlogbridge.core.binlog.EventHeader;
import io.binlogbridge.core.binlog.LittleEndian;
import io.binlogbridge.replayer.archive.FileManifest;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one archived binlog file event by event and hands out only events that passed their checks: the magic; each
 * event's length within the size its manifest gives; each event's CRC32 when the file has checksums; and before the
 * file's last event (its ROTATE) is handed out, that the file ends there and its SHA-256 is the manifest's. A file that
 * fails a check ends the dump with ERROR 1236 naming the file and the reason, so a replica never moves past a damaged
 * file. (Without checksums, a damaged event in the middle of a file is noticed at the file's end, by its SHA-256.)
 *
 * <p>Events up to {@code reuseLimit} bytes are read into one buffer reused for the whole dump (they are copied into
 * packets at once); a larger event gets an array of its own, because the packets refer to it until it is written.
 */
final class ArchivedFileReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ArchivedFileReader.class);

    /** The largest event a server writes (max_allowed_packet's ceiling); a larger length is a damaged header. */
    private static final long MAX_EVENT = 1L << 30;

    private final InputStream in;
    private final FileManifest manifest;
    private final String location;
    private final byte[] reusable;
    private final MessageDigest sha256;
    private final CRC32 crc = new CRC32();
    private byte[] event;
    private int length;
    private long eventStart;
    private long position = BIN_LOG_HEADER_SIZE;
    private int checksumAlgorithm = BINLOG_CHECKSUM_ALG_OFF;

    /**
     * @param in the file from its first byte
     * @param location where it is, for messages ({@code DEST/NAME})
     * @param reusable the buffer for events that fit it
     */
    ArchivedFileReader(InputStream in, FileManifest manifest, String location, byte[] reusable) throws DumpRefusedException, IOException {
        this.in = in;
        this.manifest = manifest;
        this.location = location;
        this.reusable = reusable;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (readFully(reusable, 0, 4) < 4 || reusable[0] != BINLOG_MAGIC[0] || reusable[1] != BINLOG_MAGIC[1]
                || reusable[2] != BINLOG_MAGIC[2] || reusable[3] != BINLOG_MAGIC[3]) {
            throw damaged("it does not begin with the binlog magic number");
        }
        sha256.update(reusable, 0, 4);
    }

    FileManifest manifest() {
        return manifest;
    }

    /** The current event: {@code event()[0, length())}, valid until the next {@link #next()}. */
    byte[] event() {
        return event;
    }

    int length() {
        return length;
    }

    /** The file position of the current event's first byte. */
    long eventStart() {
        return eventStart;
    }

    /** The file's checksum algorithm, from its FORMAT_DESCRIPTION (known once the first event was read). */
    int checksumAlgorithm() {
        return checksumAlgorithm;
    }

    /** Whether {@code b} is the buffer this reader reuses (the caller may keep a view of it). */
    boolean reuses(byte[] b) {
        return b == reusable;
    }

    /**
     * Reads the next event and checks it; false at the file's end.
     *
     * @throws DumpRefusedException the file fails a check
     * @throws IOException the archive cannot be read (after resumed attempts)
     */
    boolean next() throws DumpRefusedException, IOException {
        if (position >= manifest.size()) {
            return false;
        }
        eventStart = position;
        if (readFully(reusable, 0, LOG_EVENT_HEADER_LEN) < LOG_EVENT_HEADER_LEN) {
            throw damaged("it ends at byte " + position + ", inside an event header; its manifest says " + manifest.size() + " bytes");
        }
        long size = EventHeader.eventSize(reusable, 0);
        if (size < LOG_EVENT_HEADER_LEN || position + size > manifest.size() || size > MAX_EVENT) {
            throw damaged("the event at position " + position + " claims " + size + " bytes, beyond the file's "
                    + manifest.size() + " bytes its manifest gives");
        }
        int n = (int) size;
        byte[] b = reusable;
        if (n > reusable.length) {
            b = new byte[n];
            System.arraycopy(reusable, 0, b, 0, LOG_EVENT_HEADER_LEN);
        }
        if (readFully(b, LOG_EVENT_HEADER_LEN, n - LOG_EVENT_HEADER_LEN) < n - LOG_EVENT_HEADER_LEN) {
            throw damaged("it ends inside the event at position " + position + "; its manifest says " + manifest.size() + " bytes");
        }
        sha256.update(b, 0, n);
        if (eventStart == BIN_LOG_HEADER_SIZE) {
            if (EventHeader.type(b, 0) != FORMAT_DESCRIPTION_EVENT) {
                throw damaged("its first event is not a FORMAT_DESCRIPTION");
            }
            checksumAlgorithm = ChecksumAlgorithms.fromFormatDescription(b, 0);
            if (checksumAlgorithm == BINLOG_CHECKSUM_ALG_CRC32 && !ChecksumAlgorithms.verify(b, 0, n)) {
                throw wrongChecksum();
            }
        } else if (checksumAlgorithm == BINLOG_CHECKSUM_ALG_CRC32) {
            crc.reset();
            crc.update(b, 0, n - BINLOG_CHECKSUM_LEN);
            if (n < LOG_EVENT_HEADER_LEN + BINLOG_CHECKSUM_LEN || crc.getValue() != LittleEndian.uint32(b, n - BINLOG_CHECKSUM_LEN)) {
                throw wrongChecksum();
            }
        }
        position += n;
        event = b;
        length = n;
        if (position == manifest.size()) {
            checkWhole();
        }
        return true;
    }

    /** At the size the manifest gives: the object ends here and its digest is the manifest's. */
    private void checkWhole() throws DumpRefusedException, IOException {
        if (in.read() >= 0) {
            throw damaged("it is longer than the " + manifest.size() + " bytes its manifest gives");
        }
        String actual = HexFormat.of().formatHex(sha256.digest());
        if (!actual.equalsIgnoreCase(manifest.sha256())) {
            throw damaged("its SHA-256 is " + actual + ", its manifest says " + manifest.sha256());
        }
    }

    private int readFully(byte[] b, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            int n = in.read(b, off + done, len - done);
            if (n < 0) {
                break;
            }
            done += n;
        }
        return done;
    }

    private DumpRefusedException wrongChecksum() {
        return damaged("the event at position " + eventStart + " has a wrong CRC32 checksum");
    }

    private DumpRefusedException damaged(String reason) {
        String message = "binlog-bridge: archived binlog file '" + manifest.name() + "' (" + location + ") is damaged: " + reason
                + "; nothing after its last good event was sent";
        log.warn("{}", message);
        return new DumpRefusedException(message);
    }

    /** The archive cannot be read: ERROR 1236 saying so, and a WARN line for the operator. */
    static DumpRefusedException unreachable(ArchiveHistory archive, Exception e) {
        log.warn("the archive {} cannot be read: {}", archive.describe(), e.getMessage());
        return new DumpRefusedException("binlog-bridge: the log no longer holds this history and its archive " + archive.describe()
                + " cannot be read: " + e.getMessage());
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
