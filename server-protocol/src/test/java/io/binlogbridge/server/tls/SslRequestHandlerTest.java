package io.binlogbridge.server.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SslRequestHandlerTest {
    @TempDir
    static Path dir;
    static ServerTls tls;

    @BeforeAll
    static void certificate() throws Exception {
        tls = ServerTls.load(TestCertificates.selfSigned(dir, "server"));
    }

    static ByteBuf packet(int seq, int capabilities, int length) {
        ByteBuf b = Unpooled.buffer();
        b.writeMediumLE(length).writeByte(seq).writeIntLE(capabilities);
        b.writeZero(length - 4);
        return b;
    }

    @Test
    void sslRequestIsConsumedAndTlsTakesOver() {
        EmbeddedChannel ch = new EmbeddedChannel(new SslRequestHandler(tls));
        ch.writeInbound(packet(1, MySqlConstants.CLIENT_PROTOCOL_41 | MySqlConstants.CLIENT_SSL, 32));
        assertNull(ch.pipeline().get(SslRequestHandler.class));
        assertInstanceOf(SslHandler.class, ch.pipeline().get("tls"));
        assertNull(ch.readInbound(), "the SSLRequest goes no further");
    }

    @Test
    void bytesAfterTheSslRequestGoToTls() {
        EmbeddedChannel ch = new EmbeddedChannel(new SslRequestHandler(tls));
        ByteBuf both = packet(1, MySqlConstants.CLIENT_PROTOCOL_41 | MySqlConstants.CLIENT_SSL, 32);
        both.writeBytes(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5}); // a (bogus) TLS handshake record
        // The SslHandler got the record: it is not a ClientHello, so TLS fails rather than the bytes reaching the MySQL decoder.
        assertThrows(Exception.class, () -> ch.writeInbound(both));
        assertNull(ch.readInbound());
    }

    @Test
    void aPlainFirstPacketPassesUntouched() {
        EmbeddedChannel ch = new EmbeddedChannel(new SslRequestHandler(tls));
        ByteBuf response = packet(1, MySqlConstants.CLIENT_PROTOCOL_41, 60);
        byte[] sent = ByteBufUtil.getBytes(response);
        ch.writeInbound(response);
        ByteBuf passed = ch.readInbound();
        assertArrayEquals(sent, ByteBufUtil.getBytes(passed));
        passed.release();
        assertNull(ch.pipeline().get(SslHandler.class));
        assertNull(ch.pipeline().get(SslRequestHandler.class));
    }

    @Test
    void a32BytePacketWithoutClientSslIsNotAnSslRequest() {
        EmbeddedChannel ch = new EmbeddedChannel(new SslRequestHandler(tls));
        ch.writeInbound(packet(1, MySqlConstants.CLIENT_PROTOCOL_41, 32));
        ByteBuf passed = ch.readInbound();
        assertEquals(36, passed.readableBytes());
        passed.release();
        assertNull(ch.pipeline().get(SslHandler.class));
    }
}
