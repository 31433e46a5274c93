package io.binlogbridge.replayer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.config.OptionException;
import io.binlogbridge.replayer.ReplayerConfig.ClusterTopic;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ClusterOptionsTest {
    private static final String[] BASE = {"--kafka-bootstrap", "k:9092", "--port", "3307", "--users-file", "u"};

    private static ReplayerConfig parse(String... more) throws OptionException {
        return ReplayerConfig.parse(Stream.concat(Stream.of(BASE), Stream.of(more)).toArray(String[]::new), Map.of());
    }

    @Test
    void topicIsOneClusterNamedAsTheTopic() throws OptionException {
        ReplayerConfig c = parse("--topic", "shop.binlog");
        assertEquals(List.of(new ClusterTopic("shop.binlog", "shop.binlog", "shop.binlog.index")), c.clusters());
        assertEquals("shop.binlog", c.topic());
    }

    @Test
    void clusterIsRepeatable() throws OptionException {
        ReplayerConfig c = parse("--cluster", "eu=shop.eu", "--cluster=us=shop.us", "--no-index-snapshot");
        assertEquals(List.of(new ClusterTopic("eu", "shop.eu", null), new ClusterTopic("us", "shop.us", null)), c.clusters());
        assertEquals("shop.eu", c.topic());
    }

    @Test
    void clustersFromTheEnvironmentAreACommaList() throws OptionException {
        ReplayerConfig c = ReplayerConfig.parse(BASE, Map.of("BINLOG_BRIDGE_CLUSTER", "eu=shop.eu, us=shop.us"));
        assertEquals(List.of(new ClusterTopic("eu", "shop.eu", "shop.eu.index"), new ClusterTopic("us", "shop.us", "shop.us.index")),
                c.clusters());
    }

    @Test
    void badClusterOptionsAreRefused() {
        assertMessage("either --topic", BASE);
        assertMessage("not both", "--topic", "t", "--cluster", "a=t2");
        assertMessage("NAME=TOPIC", "--cluster", "a");
        assertMessage("NAME=TOPIC", "--cluster", "a|b=t");
        assertMessage("given twice", "--cluster", "a=t1", "--cluster", "a=t2");
        assertMessage("two clusters", "--cluster", "a=t", "--cluster", "b=t");
        assertMessage("--archive", "--cluster", "a=t", "--archive", "/tmp/x");
    }

    @Test
    void helpDocumentsCluster() {
        assertTrue(ReplayerConfig.DEFINITION.help().contains("--cluster STRING") || ReplayerConfig.DEFINITION.help().contains("--cluster "));
    }

    private static void assertMessage(String expected, String... args) {
        OptionException e = assertThrows(OptionException.class, () -> parse(args));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
