package io.binlogbridge.replayer.server;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.replayer.session.Session;
import io.binlogbridge.server.wire.ResponsePackets;
import io.netty.channel.ChannelHandlerContext;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a dump to the dump handler of the connection's cluster. A connection that chose none on a replayer of several
 * clusters is refused with ERROR 1046, naming how to choose: a replica cannot send USE, so the login name must.
 */
final class ClusterDumps implements DumpRequestHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterDumps.class);

    private final Map<String, ServedCluster> clusters;

    ClusterDumps(Map<String, ServedCluster> clusters) {
        this.clusters = clusters;
    }

    @Override
    public void startDump(ChannelHandlerContext ctx, Session session, DumpRequest request) {
        ServedCluster cluster = session.cluster() == null ? null : clusters.get(session.cluster());
        if (cluster == null) {
            LOG.info("connection {}: user '{}'@'{}' asked for a dump without choosing one of the clusters {}",
                    session.connectionId(), session.user(), session.remoteHost(), clusters.keySet());
            ctx.writeAndFlush(ResponsePackets.err(ctx.alloc(), MySqlConstants.ER_NO_DB_ERROR, MySqlConstants.SQLSTATE_NO_DB,
                    noClusterChosen(clusters.keySet())));
            return;
        }
        cluster.dumps().startDump(ctx, session, request);
    }

    static String noClusterChosen(Iterable<String> names) {
        return "No database selected: this replayer serves the clusters " + String.join(", ", names)
                + "; connect as user name 'USER|CLUSTER' (or send USE CLUSTER first) to choose one";
    }
}
