package io.binlogbridge.core.protocol;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicReference;

/** One scripted server-side connection on a loopback port, to drive MySqlClient without a real server. */
final class FakeServer implements AutoCloseable {
    interface Script {
        void run(PacketChannel ch) throws Exception;
    }

    private final ServerSocket serverSocket;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    FakeServer(Script script) throws IOException {
        serverSocket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> {
            try (Socket s = serverSocket.accept()) {
                s.setSoTimeout(10_000);
                script.run(new PacketChannel(s));
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "fake-mysql-server");
        thread.setDaemon(true);
        thread.start();
    }

    ConnectionSettings settings(String user, String password) {
        return ConnectionSettings.of(InetAddress.getLoopbackAddress().getHostAddress(), serverSocket.getLocalPort(), user, password);
    }

    /** Waits for the script to finish and rethrows what it failed with (its assertions included). */
    void await() throws Exception {
        thread.join(10_000);
        if (thread.isAlive()) {
            throw new AssertionError("fake server script did not finish");
        }
        Throwable t = failure.get();
        if (t instanceof Exception e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
    }

    static byte[] ok(long affectedRows) {
        return new PayloadWriter().writeInt1(0).writeLengthEncodedInt(affectedRows).writeLengthEncodedInt(0)
                .writeInt2(MySqlConstants.SERVER_STATUS_AUTOCOMMIT).writeInt2(0).toByteArray();
    }

    static byte[] eof() {
        return new PayloadWriter().writeInt1(0xFE).writeInt2(0).writeInt2(MySqlConstants.SERVER_STATUS_AUTOCOMMIT).toByteArray();
    }

    static byte[] err(int code, String state, String message) {
        return new PayloadWriter().writeInt1(0xFF).writeInt2(code).writeString("#" + state).writeString(message).toByteArray();
    }

    static byte[] columnDefinition(String name) {
        return new PayloadWriter()
                .writeLengthEncodedString("def").writeLengthEncodedString("").writeLengthEncodedString("")
                .writeLengthEncodedString("").writeLengthEncodedString(name).writeLengthEncodedString("")
                .writeLengthEncodedInt(0x0C).writeInt2(MySqlConstants.CHARSET_UTF8MB4_GENERAL_CI).writeInt4(256)
                .writeInt1(MySqlConstants.MYSQL_TYPE_VAR_STRING).writeInt2(0).writeInt1(0).writeZeros(2)
                .toByteArray();
    }
}
