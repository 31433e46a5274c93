package io.binlogbridge.replayer.session;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The open client connections of one server, for its metrics and {@code /status}. */
public final class ConnectionRegistry {
    private final ConcurrentHashMap<Integer, Session> open = new ConcurrentHashMap<>();
    private final AtomicInteger mostOpen = new AtomicInteger();

    public void opened(Session session) {
        open.put(session.connectionId(), session);
        mostOpen.accumulateAndGet(open.size(), Math::max);
    }

    /** The most connections open at once since the server started (MySQL's Max_used_connections). */
    public int mostOpen() {
        return mostOpen.get();
    }

    public void closed(Session session) {
        open.remove(session.connectionId());
    }

    public int size() {
        return open.size();
    }

    /** Connections serving a dump now. */
    public int dumps() {
        int n = 0;
        for (Session s : open.values()) {
            if (s.dumping()) {
                n++;
            }
        }
        return n;
    }

    /** The open connections, oldest first. */
    public List<Session> sessions() {
        List<Session> list = new ArrayList<>(open.values());
        list.sort(Comparator.comparingInt(Session::connectionId));
        return list;
    }
}
