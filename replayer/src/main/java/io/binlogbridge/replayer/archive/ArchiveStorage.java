package io.binlogbridge.replayer.archive;

import java.io.InputStream;

/**
 * Where the archive lives: a directory or an S3 bucket (as Percona's binlog server has one storage backend
 * interface with a file and an S3 implementation). Objects are named by a relative name ({@code binlog.000042},
 * {@code manifest/binlog.000042.json}); no object is ever visible under its name half-written.
 */
public interface ArchiveStorage extends AutoCloseable {
    /** The archive as the user named it, for messages: a directory path or {@code s3://bucket/prefix}. */
    String describe();

    /**
     * Fails with one clear line when the archive cannot be used: a directory that cannot be created or written, an
     * S3 endpoint that does not answer, a missing bucket, credentials refused.
     */
    void check() throws ArchiveException;

    /** Removes what an earlier, killed run left half-written (temporary files, unfinished multipart uploads). */
    void removeIncomplete() throws ArchiveException;

    /** The size of the object {@code name}, or -1 when there is none. */
    long size(String name) throws ArchiveException;

    /** The whole content of a small object (a manifest, the index), or null when there is none. */
    byte[] read(String name) throws ArchiveException;

    /**
     * The object {@code name} from byte {@code fromOffset} to its end, streamed (a dump reads a large file through it
     * with bounded memory). A read that fails midway is resumed by asking again from the offset it reached.
     *
     * @throws ArchiveException when the object is missing or the archive cannot be read
     */
    InputStream stream(String name, long fromOffset) throws ArchiveException;

    /** Writes a small object in one step: readers see the old content or the new one, never a part. */
    void write(String name, byte[] content) throws ArchiveException;

    /** Starts writing a large object, streamed: it appears under {@code name} only on {@link Upload#complete()}. */
    Upload upload(String name) throws ArchiveException;

    @Override
    void close();

    /** A large object on its way; {@link #close()} without {@link #complete()} discards it. */
    interface Upload extends AutoCloseable {
        void write(byte[] b, int off, int len) throws ArchiveException;

        /** Makes the object visible under its name, whole. */
        void complete() throws ArchiveException;

        /** Discards an incomplete upload (does nothing after {@link #complete()}). */
        @Override
        void close();
    }

    /** The storage {@code dest} names: {@code s3://BUCKET[/PREFIX]} or a directory. */
    static ArchiveStorage open(String dest, S3Settings s3, long partSize) throws ArchiveException {
        if (dest.startsWith("s3://")) {
            return S3Storage.open(S3Location.parse(dest), s3, partSize);
        }
        return new DirectoryStorage(java.nio.file.Path.of(dest));
    }

    /** How to reach an S3-compatible store; nulls leave the SDK's defaults (AWS, region from the environment). */
    record S3Settings(String endpoint, String region, boolean pathStyle) {}

    /** {@code s3://bucket/prefix}: prefix without leading or trailing '/', "" for the bucket's root. */
    record S3Location(String bucket, String prefix) {
        static S3Location parse(String dest) throws ArchiveException {
            String rest = dest.substring("s3://".length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : rest.substring(slash + 1);
            while (prefix.endsWith("/")) {
                prefix = prefix.substring(0, prefix.length() - 1);
            }
            if (bucket.isEmpty()) {
                throw new ArchiveException("--to " + dest + " names no bucket: use s3://BUCKET/PREFIX");
            }
            return new S3Location(bucket, prefix);
        }

        String key(String name) {
            return prefix.isEmpty() ? name : prefix + "/" + name;
        }

        @Override
        public String toString() {
            return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
        }
    }
}
