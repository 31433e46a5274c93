package io.binlogbridge.replayer.dump;

import java.io.IOException;
import java.io.InputStream;

/**
 * An archived object read from an offset, resumed where it broke off: an S3 connection dropped in the middle of a
 * large file is asked again for the bytes from the offset reached ({@code bytes=N-}), so a dump neither starts the
 * file over nor sends anything twice. Gives up after {@link #ATTEMPTS} failures in a row.
 */
final class ResumingStream extends InputStream {
    static final int ATTEMPTS = 4;

    /** Opens the object from an offset; an IOException when it cannot. */
    interface Opener {
        InputStream open(long offset) throws IOException;
    }

    private final Opener opener;
    private final String what;
    private InputStream in;
    private long offset;
    private final byte[] one = new byte[1];

    ResumingStream(Opener opener, long offset, String what) {
        this.opener = opener;
        this.offset = offset;
        this.what = what;
    }

    /** Bytes of the object read so far, counted from its start. */
    long offset() {
        return offset;
    }

    @Override
    public int read() throws IOException {
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        IOException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                if (in == null) {
                    in = opener.open(offset);
                }
                int n = in.read(b, off, len);
                if (n > 0) {
                    offset += n;
                }
                return n;
            } catch (IOException e) {
                last = e;
                closeQuietly();
                if (attempt + 1 < ATTEMPTS) {
                    pause(attempt);
                }
            }
        }
        throw new IOException("reading " + what + " at byte " + offset + " failed " + ATTEMPTS + " times: " + last.getMessage(), last);
    }

    private static void pause(int attempt) throws IOException {
        try {
            Thread.sleep(100L << attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while resuming an archive read");
        }
    }

    private void closeQuietly() {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // the connection is gone already
            }
            in = null;
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
