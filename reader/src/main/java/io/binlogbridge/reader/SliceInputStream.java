package io.binlogbridge.reader;

import java.io.InputStream;

/**
 * An event's bytes inside a record, as the decoder's input stream. java.io.ByteArrayInputStream would do, but its
 * methods are synchronized and the decoder reads most fields a byte at a time: this one costs the decoder about a
 * third less CPU per event.
 */
final class SliceInputStream extends InputStream {
    private final byte[] bytes;
    private int position;
    private final int end;

    SliceInputStream(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.position = offset;
        this.end = offset + length;
    }

    @Override
    public int read() {
        return position < end ? bytes[position++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] into, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        if (position >= end) {
            return -1;
        }
        int n = Math.min(length, end - position);
        System.arraycopy(bytes, position, into, offset, n);
        position += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long skipped = Math.max(0, Math.min(n, end - position));
        position += (int) skipped;
        return skipped;
    }

    @Override
    public int available() {
        return end - position;
    }
}
