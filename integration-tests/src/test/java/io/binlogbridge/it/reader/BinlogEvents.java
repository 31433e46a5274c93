package io.binlogbridge.it.reader;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Binlog events as comparable text, and what a BinaryLogClient connected to a source receives. */
public final class BinlogEvents {
    /** Events outside transactions, which a TopicReader does not return; ANNOTATE_ROWS only reaches clients that ask. */
    private static final Set<EventType> OUTSIDE_TRANSACTIONS = Set.of(EventType.ROTATE, EventType.FORMAT_DESCRIPTION,
            EventType.PREVIOUS_GTIDS, EventType.HEARTBEAT, EventType.STOP, EventType.MARIADB_GTID_LIST,
            EventType.BINLOG_CHECKPOINT, EventType.ANNOTATE_ROWS);

    private BinlogEvents() {}

    /** Every event a BinaryLogClient receives from the source's first binlog file to its current end, in order. */
    static List<Event> fromSource(String host, int port, String user, String password, String firstFile) throws IOException {
        BinaryLogClient client = new BinaryLogClient(host, port, user, password);
        client.setServerId(7000 + port % 1000);
        client.setBinlogFilename(firstFile);
        client.setBinlogPosition(4);
        client.setBlocking(false);
        client.setKeepAlive(false);
        List<Event> events = new ArrayList<>();
        client.registerEventListener(events::add);
        client.connect(); // non-blocking: returns at the end of the log
        return events;
    }

    /** The events a topic reader returns for these: those of transactions. */
    static List<Event> ofTransactions(List<Event> events) {
        return events.stream().filter(e -> !OUTSIDE_TRANSACTIONS.contains(e.getHeader().getEventType())).toList();
    }

    /** The GTID an event starts, as the topic names it ({@code uuid:n} or {@code domain-server-seq}); null for other events. */
    static String gtid(Event e) {
        if (e.getData() instanceof GtidEventData g) {
            return g.getMySqlGtid().toString();
        }
        if (e.getData() instanceof MariadbGtidEventData m) {
            long serverId = m.getServerId() != 0 ? m.getServerId() : ((EventHeaderV4) e.getHeader()).getServerId();
            return m.getDomainId() + "-" + serverId + "-" + m.getSequence();
        }
        return null;
    }

    static List<String> gtids(List<Event> events) {
        return events.stream().map(BinlogEvents::gtid).filter(g -> g != null).toList();
    }

    /** One line per event: type, header fields, and the data (rows in full). */
    public static String describe(Event e) {
        EventHeaderV4 h = e.getHeader();
        EventData d = e.getData();
        String data;
        if (d instanceof WriteRowsEventData w) {
            data = "write " + w.getTableId() + " " + w.getIncludedColumns() + " " + rows(w.getRows());
        } else if (d instanceof UpdateRowsEventData u) {
            List<Object> r = new ArrayList<>();
            for (Map.Entry<Serializable[], Serializable[]> en : u.getRows()) {
                r.add(new Object[] {en.getKey(), en.getValue()});
            }
            data = "update " + u.getTableId() + " " + Arrays.deepToString(r.toArray());
        } else if (d instanceof DeleteRowsEventData del) {
            data = "delete " + del.getTableId() + " " + rows(del.getRows());
        } else {
            data = String.valueOf(d);
        }
        return h.getEventType() + " pos=" + h.getPosition() + " next=" + h.getNextPosition() + " len=" + h.getEventLength()
                + " ts=" + h.getTimestamp() + " server=" + h.getServerId() + " flags=" + h.getFlags() + " " + data;
    }

    static List<String> describe(List<Event> events) {
        return events.stream().map(BinlogEvents::describe).toList();
    }

    /** The table a TABLE_MAP event maps, as {@code schema.table}; null for other events. */
    static String mappedTable(Event e) {
        return e.getData() instanceof TableMapEventData t ? t.getDatabase() + "." + t.getTable() : null;
    }

    private static String rows(List<Serializable[]> rows) {
        return Arrays.deepToString(rows.toArray());
    }
}
