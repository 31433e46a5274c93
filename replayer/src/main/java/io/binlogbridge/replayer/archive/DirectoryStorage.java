package io.binlogbridge.replayer.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The archive in a local (or mounted) directory. Every object is written to a hidden temporary file beside its
 * final name ({@code .NAME.partial}), forced to disk, then renamed atomically, and the directory is forced too: after
 * a crash a name holds a whole object or nothing.
 */
final class DirectoryStorage implements ArchiveStorage {
    private static final String PARTIAL = ".partial";

    private final Path dir;

    DirectoryStorage(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    @Override
    public String describe() {
        return dir.toString();
    }

    @Override
    public void check() throws ArchiveException {
        try {
            Files.createDirectories(dir.resolve(ArchiveLayout.MANIFEST_DIR));
            Path probe = Files.createTempFile(dir, ".write-check", PARTIAL);
            Files.delete(probe);
        } catch (IOException e) {
            throw new ArchiveException("archive directory " + dir + " is not writable: " + describe(e), e);
        }
    }

    @Override
    public void removeIncomplete() throws ArchiveException {
        for (Path d : new Path[] {dir, dir.resolve(ArchiveLayout.MANIFEST_DIR)}) {
            try (DirectoryStream<Path> partials = Files.newDirectoryStream(d, ".*" + PARTIAL)) {
                for (Path p : partials) {
                    Files.deleteIfExists(p);
                }
            } catch (NoSuchFileException e) {
                // nothing written yet
            } catch (IOException e) {
                throw new ArchiveException("cannot clean up archive directory " + d + ": " + describe(e), e);
            }
        }
    }

    @Override
    public long size(String name) throws ArchiveException {
        try {
            return Files.size(dir.resolve(name));
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            throw new ArchiveException("cannot read " + dir.resolve(name) + ": " + describe(e), e);
        }
    }

    @Override
    public byte[] read(String name) throws ArchiveException {
        try {
            return Files.readAllBytes(dir.resolve(name));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new ArchiveException("cannot read " + dir.resolve(name) + ": " + describe(e), e);
        }
    }

    @Override
    public InputStream stream(String name, long fromOffset) throws ArchiveException {
        Path path = dir.resolve(name);
        try {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
            channel.position(fromOffset);
            return Channels.newInputStream(channel);
        } catch (NoSuchFileException e) {
            throw new ArchiveException(path + " does not exist", e);
        } catch (IOException e) {
            throw new ArchiveException("cannot read " + path + ": " + describe(e), e);
        }
    }

    @Override
    public void write(String name, byte[] content) throws ArchiveException {
        try (Upload u = upload(name)) {
            u.write(content, 0, content.length);
            u.complete();
        }
    }

    @Override
    public Upload upload(String name) throws ArchiveException {
        Path target = dir.resolve(name);
        Path temp = target.resolveSibling("." + target.getFileName() + PARTIAL);
        try {
            FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            return new FileUpload(target, temp, channel);
        } catch (IOException e) {
            throw new ArchiveException("cannot write " + temp + ": " + describe(e), e);
        }
    }

    @Override
    public void close() {}

    static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private static final class FileUpload implements Upload {
        private final Path target;
        private final Path temp;
        private final FileChannel channel;
        private boolean done;

        FileUpload(Path target, Path temp, FileChannel channel) {
            this.target = target;
            this.temp = temp;
            this.channel = channel;
        }

        @Override
        public void write(byte[] b, int off, int len) throws ArchiveException {
            try {
                ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
            } catch (IOException e) {
                throw new ArchiveException("cannot write " + temp + ": " + describe(e), e);
            }
        }

        @Override
        public void complete() throws ArchiveException {
            try {
                channel.force(true);
                channel.close();
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                try (FileChannel d = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
                    d.force(true);
                }
                done = true;
            } catch (IOException e) {
                throw new ArchiveException("cannot complete " + target + ": " + describe(e), e);
            }
        }

        @Override
        public void close() {
            if (done) {
                return;
            }
            try {
                channel.close();
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // removeIncomplete() deletes it on the next run
            }
        }
    }
}
