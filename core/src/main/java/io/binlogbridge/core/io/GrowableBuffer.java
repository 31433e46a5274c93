package io.binlogbridge.core.io;

import java.util.Arrays;

/**
 * A reusable byte array that grows as needed. Hot paths append event bytes here straight from the
 * socket and hand out slices of {@link #array()} instead of allocating per event.
 */
public final class GrowableBuffer {
    private final int initialCapacity;
    private byte[] array;
    private int size;

    public GrowableBuffer(int initialCapacity) {
        this.initialCapacity = initialCapacity;
        this.array = new byte[initialCapacity];
    }

    public byte[] array() {
        return array;
    }

    public int size() {
        return size;
    }

    /** Makes room for {@code n} more bytes and returns the offset where they go. */
    public int reserve(int n) {
        long needed = (long) size + n;
        if (needed > array.length) {
            if (needed > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("buffer would exceed 2 GiB");
            }
            long grown = Math.max(needed, Math.min((long) array.length * 2, Integer.MAX_VALUE - 8));
            array = Arrays.copyOf(array, (int) grown);
        }
        int at = size;
        size += n;
        return at;
    }

    public void append(byte[] src, int off, int len) {
        int at = reserve(len);
        System.arraycopy(src, off, array, at, len);
    }

    /** Drops everything from {@code newSize} on. */
    public void truncate(int newSize) {
        if (newSize < 0 || newSize > size) {
            throw new IndexOutOfBoundsException("truncate to " + newSize + " of " + size);
        }
        size = newSize;
    }

    /** Removes the first {@code n} bytes, moving the rest to the front. */
    public void discardFront(int n) {
        if (n == 0) {
            return;
        }
        System.arraycopy(array, n, array, 0, size - n);
        size -= n;
    }

    /**
     * Empties the buffer; if one huge event made it grow far beyond its usual size, gives that memory
     * back so one 64 MiB row does not pin 64 MiB for the life of the process.
     */
    public void clear() {
        size = 0;
        if (array.length > 4 * initialCapacity) {
            array = new byte[initialCapacity];
        }
    }
}
