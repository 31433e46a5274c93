package io.binlogbridge.it.support;

import io.binlogbridge.it.fixtures.KafkaBroker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;

/**
 * Broker-side throttling of one client: a test that needs a write to take seconds gets it from Kafka's own
 * quota, however fast or loaded the machine is. Give the broker {@code quota.window.num=2} and
 * {@code quota.window.size.seconds=1}: with the default 11 samples a fresh client bursts for about 10 s first.
 */
public final class ClientQuotas {
    private ClientQuotas() {}

    /** Limits what {@code clientId} may produce to {@code bytesPerSecond}; returns once the broker reports the quota. */
    public static void throttleProducer(KafkaBroker kafka, String clientId, double bytesPerSecond) throws Exception {
        ClientQuotaEntity entity = new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, clientId));
        kafka.admin().alterClientQuotas(List.of(new ClientQuotaAlteration(entity,
                List.of(new ClientQuotaAlteration.Op("producer_byte_rate", bytesPerSecond))))).all().get(30, TimeUnit.SECONDS);
        ClientQuotaFilter filter = ClientQuotaFilter.containsOnly(List.of(ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.CLIENT_ID, clientId)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (kafka.admin().describeClientQuotas(filter).entities().get(30, TimeUnit.SECONDS).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the quota of " + clientId + " did not show up");
            }
            Thread.sleep(100);
        }
    }
}
