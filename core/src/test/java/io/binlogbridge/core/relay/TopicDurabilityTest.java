package io.binlogbridge.core.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopicDurabilityTest {
    @Test
    void threeReplicasWithTwoInSyncSurviveABrokersLoss() {
        assertEquals(Optional.empty(), TopicDurability.problem("t", 3, 2));
        assertEquals(Optional.empty(), TopicDurability.problem("t", 5, 3));
    }

    @Test
    void eachWayOfNotSurvivingItIsNamed() {
        assertTrue(TopicDurability.problem("t", 1, 1).orElseThrow().contains("lost with the broker"));
        assertTrue(TopicDurability.problem("t", 3, 3).orElseThrow().contains("cannot commit while any one of those brokers is down"));
        assertTrue(TopicDurability.problem("t", 2, 2).orElseThrow().contains("cannot commit"));
        assertTrue(TopicDurability.problem("t", 3, 1).orElseThrow().contains("on one broker only"));
    }
}
