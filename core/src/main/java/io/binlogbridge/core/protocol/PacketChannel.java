package io.binlogbridge.core.protocol;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;

/**
 * Blocking framing of MySQL packets over one socket: a 3-byte little-endian length, a sequence id,
 * then the payload. A payload of {@link MySqlConstants#MAX_PACKET_LENGTH} bytes or more is split
 * over several packets, the last one shorter (possibly empty).
 *
 * <p>The low-level calls ({@link #readHeader()}, {@link #readFully}) let the binlog stream copy
 * event bytes straight from the socket buffer into their final place.
 */
public final class PacketChannel implements Closeable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] header = new byte[4];
    private int sequence;

    public PacketChannel(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 256 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /** A new command starts a new sequence. */
    public void resetSequence() {
        sequence = 0;
    }

    /** Sets the sequence id the next packet read must carry. */
    public void expectSequence(int next) {
        sequence = next;
    }

    public int sequence() {
        return sequence;
    }

    /** Milliseconds a read may block before {@link java.net.SocketTimeoutException}; 0 waits forever. */
    public void setReadTimeout(int millis) throws SocketException {
        socket.setSoTimeout(millis);
    }

    /** Reads one physical packet header and returns its payload length. */
    public int readHeader() throws IOException {
        readFully(header, 0, 4);
        int length = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
        int seq = header[3] & 0xFF;
        if (seq != (sequence & 0xFF)) {
            throw new ProtocolException("packets out of order: expected sequence " + (sequence & 0xFF) + ", got " + seq);
        }
        sequence++;
        return length;
    }

    public void readFully(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = in.read(b, off, len);
            if (n < 0) {
                throw new EOFException("connection closed by the server");
            }
            off += n;
            len -= n;
        }
    }

    public int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed by the server");
        }
        return b;
    }

    public void skipFully(long n) throws IOException {
        while (n > 0) {
            long skipped = in.skip(n);
            if (skipped <= 0) {
                readByte();
                skipped = 1;
            }
            n -= skipped;
        }
    }

    /** Reads one logical payload, reassembling continuation packets. For control packets, not events. */
    public byte[] readPayload() throws IOException {
        int length = readHeader();
        byte[] payload = new byte[length];
        readFully(payload, 0, length);
        while (length == MySqlConstants.MAX_PACKET_LENGTH) {
            length = readHeader();
            int old = payload.length;
            payload = Arrays.copyOf(payload, old + length);
            readFully(payload, old, length);
        }
        return payload;
    }

    /** Writes one logical payload (split as the protocol requires) and flushes. */
    public void writePayload(byte[] payload) throws IOException {
        writePayload(payload, 0, payload.length);
    }

    public void writePayload(byte[] payload, int off, int len) throws IOException {
        while (true) {
            int n = Math.min(len, MySqlConstants.MAX_PACKET_LENGTH);
            out.write(n & 0xFF);
            out.write((n >>> 8) & 0xFF);
            out.write((n >>> 16) & 0xFF);
            out.write(sequence++ & 0xFF);
            out.write(payload, off, n);
            off += n;
            len -= n;
            if (n < MySqlConstants.MAX_PACKET_LENGTH) {
                break;
            }
        }
        out.flush();
    }

    /**
     * Writes a packet that starts its own exchange (sequence 0) without disturbing the sequence of the
     * stream being read: a semi-sync acknowledgement sent while the binlog keeps arriving. Safe to call
     * from another thread than the reader's, one writer at a time.
     */
    public synchronized void writeStandalonePacket(byte[] payload) throws IOException {
        if (payload.length >= MySqlConstants.MAX_PACKET_LENGTH) {
            throw new IllegalArgumentException("standalone packets are small");
        }
        out.write(payload.length & 0xFF);
        out.write((payload.length >>> 8) & 0xFF);
        out.write((payload.length >>> 16) & 0xFF);
        out.write(0);
        out.write(payload);
        out.flush();
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
