package io.kpipeline.schemas.serde;

import io.kpipeline.schemas.registry.SchemaRegistryClient;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Builds wire-format Avro serdes bound to one registry client. */
public final class AvroSerdes {
    private AvroSerdes() {
    }

    /** A value serde for the Avro class {@code type}. */
    public static <T extends SpecificRecord> Serde<T> value(SchemaRegistryClient registry, Class<T> type) {
        return Serdes.serdeFrom(new AvroSerializer<>(registry, false), new AvroDeserializer<>(registry, type));
    }
}
