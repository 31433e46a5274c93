package io.binlogbridge.server.tls;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * First in the pipeline of a server that offers CLIENT_SSL: looks at the client's first packet only. An SSLRequest
 * (a 32-byte HandshakeResponse41 prefix with CLIENT_SSL) is consumed and an {@link io.netty.handler.ssl.SslHandler}
 * takes this handler's place, so the TLS handshake the client starts right after it (often in the same TCP segment)
 * and every later packet go through TLS; the client then repeats its HandshakeResponse41 inside TLS with the next
 * sequence id. Any other first packet is left untouched for the MySQL packet decoder.
 */
public final class SslRequestHandler extends ByteToMessageDecoder {
    /** The SSLRequest payload: capabilities(4), max packet(4), charset(1), filler(23). */
    static final int SSL_REQUEST_LENGTH = 32;
    private static final int HEADER = 4;

    private final ServerTls tls;

    public SslRequestHandler(ServerTls tls) {
        this.tls = tls;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < HEADER) {
            return;
        }
        int start = in.readerIndex();
        int length = in.getUnsignedMediumLE(start);
        if (length == SSL_REQUEST_LENGTH) {
            if (in.readableBytes() < HEADER + length) {
                return;
            }
            if ((in.getIntLE(start + HEADER) & MySqlConstants.CLIENT_SSL) != 0) {
                in.skipBytes(HEADER + length);
                ctx.pipeline().addAfter(ctx.name(), "tls", tls.newHandler(ctx.alloc()));
            }
        }
        // Removing a decoder hands what it holds beyond the SSLRequest to the next handler: the TLS records to the
        // SslHandler just added, or the plain first packet to the MySQL packet decoder.
        ctx.pipeline().remove(this);
    }
}
