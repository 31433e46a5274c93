package io.binlogbridge.replayer.snapshot;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * How one index snapshot lies in the side topic: chunks keyed {@code <topic>/snapshot/<write id>/<n>}, then a head
 * keyed {@code <topic>/snapshot} naming the write, its chunk count, length and CRC-32C, the topic offset it covers and
 * the topic's Kafka topic id. The head is written only once every chunk is acknowledged, and names one write's chunks,
 * so a reader meets either a whole snapshot or none: a write that stopped half-way left chunks no head names, and the
 * head still names the previous write, whose chunks are deleted (tombstones) only after the new head is in.
 */
public final class IndexSnapshotRecords {
    /** Under Kafka's default max.message.bytes (1 MiB) with room to spare. */
    static final int CHUNK_BYTES = 512 << 10;
    /** "BBIH". */
    private static final int HEAD_MAGIC = 0x42424948;
    private static final int HEAD_VERSION = 1;

    private IndexSnapshotRecords() {}

    /**
     * @param writeId        names this write's chunks
     * @param chunks         how many chunk records it has
     * @param length         the snapshot's bytes, all chunks together
     * @param crc32c         CRC-32C of those bytes
     * @param coveredOffset  the snapshot describes the topic's records before this offset
     * @param topicId        the Kafka topic id of the topic it describes (a topic deleted and created again has another)
     * @param writtenAtMillis when it was written
     */
    public record Head(long writeId, int chunks, int length, int crc32c, long coveredOffset, String topicId, long writtenAtMillis) {}

    public static String headKey(String topic) {
        return topic + "/snapshot";
    }

    public static String chunkKey(String topic, long writeId, int n) {
        return topic + "/snapshot/" + Long.toHexString(writeId) + "/" + n;
    }

    /** The chunk keys of {@code head}'s write, in order. */
    public static List<String> chunkKeys(String topic, Head head) {
        List<String> keys = new ArrayList<>(head.chunks());
        for (int n = 0; n < head.chunks(); n++) {
            keys.add(chunkKey(topic, head.writeId(), n));
        }
        return keys;
    }

    /** {@code snapshot} cut into chunk values, in order. */
    public static List<byte[]> split(byte[] snapshot) {
        List<byte[]> chunks = new ArrayList<>();
        for (int from = 0; from < snapshot.length || chunks.isEmpty(); from += CHUNK_BYTES) {
            chunks.add(Arrays.copyOfRange(snapshot, from, Math.min(snapshot.length, from + CHUNK_BYTES)));
        }
        return chunks;
    }

    public static Head head(long writeId, byte[] snapshot, long coveredOffset, String topicId, long nowMillis) {
        return new Head(writeId, split(snapshot).size(), snapshot.length, crc32c(snapshot, 0, snapshot.length), coveredOffset, topicId,
                nowMillis);
    }

    public static byte[] encodeHead(Head head) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(HEAD_MAGIC);
            out.writeShort(HEAD_VERSION);
            out.writeLong(head.writeId());
            out.writeInt(head.chunks());
            out.writeInt(head.length());
            out.writeInt(head.crc32c());
            out.writeLong(head.coveredOffset());
            out.writeUTF(head.topicId());
            out.writeLong(head.writtenAtMillis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** IllegalArgumentException, its message saying why, for a value that is not a head this replayer reads. */
    public static Head decodeHead(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            if (value.length < 6 || in.readInt() != HEAD_MAGIC) {
                throw new IllegalArgumentException("its head record is not a snapshot head");
            }
            int version = in.readUnsignedShort();
            if (version != HEAD_VERSION) {
                throw new IllegalArgumentException("its head record is of version " + version + ", this replayer reads " + HEAD_VERSION);
            }
            return new Head(in.readLong(), in.readInt(), in.readInt(), in.readInt(), in.readLong(), in.readUTF(), in.readLong());
        } catch (IOException e) {
            throw new IllegalArgumentException("its head record is truncated", e);
        }
    }

    /**
     * The snapshot {@code head} names, from the chunk values found by key; IllegalArgumentException, its message saying
     * why, when a chunk is missing or the bytes are not the ones the head describes.
     */
    public static byte[] assemble(String topic, Head head, Map<String, byte[]> values) {
        if (head.chunks() < 1 || head.length() < 0) {
            throw new IllegalArgumentException("its head names " + head.chunks() + " chunks of " + head.length() + " bytes");
        }
        byte[] snapshot = new byte[head.length()];
        int at = 0;
        for (String key : chunkKeys(topic, head)) {
            byte[] chunk = values.get(key);
            if (chunk == null) {
                throw new IllegalArgumentException("chunk " + key + " of write " + Long.toHexString(head.writeId()) + " is missing");
            }
            if (at + chunk.length > snapshot.length) {
                throw new IllegalArgumentException("its chunks hold more than the " + head.length() + " bytes its head names");
            }
            System.arraycopy(chunk, 0, snapshot, at, chunk.length);
            at += chunk.length;
        }
        if (at != snapshot.length) {
            throw new IllegalArgumentException("its chunks hold " + at + " bytes, its head names " + head.length());
        }
        if (crc32c(snapshot, 0, snapshot.length) != head.crc32c()) {
            throw new IllegalArgumentException("its chunks do not match the CRC-32C its head names");
        }
        return snapshot;
    }

    static int crc32c(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        return (int) crc.getValue();
    }
}
