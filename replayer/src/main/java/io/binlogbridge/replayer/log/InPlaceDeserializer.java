package io.binlogbridge.replayer.log;

import java.nio.ByteBuffer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Hands out a record's key or value as the consumer read it: a view of the fetch response, not a copy
 * (Kafka's own deserializers copy each value into a new array, megabytes per record here).
 */
final class InPlaceDeserializer implements Deserializer<ByteBuffer> {
    @Override
    public ByteBuffer deserialize(String topic, byte[] data) {
        return data == null ? null : ByteBuffer.wrap(data);
    }

    @Override
    public ByteBuffer deserialize(String topic, Headers headers, ByteBuffer data) {
        return data;
    }
}
