package io.kpipeline.schemas.registry;

import java.util.function.Consumer;

/**
 * Where a {@link SchemaRegistryCore} keeps its history: the records of Confluent's {@code _schemas}
 * topic (JSON key and value). Replayed in order on start, appended to on every change.
 */
public interface SchemaLog extends AutoCloseable {

    /** Feeds every stored record, oldest first, to {@code sink}. */
    void replay(Consumer<Entry> sink);

    /** Stores one record durably before returning. */
    void append(Entry entry);

    @Override
    default void close() {
    }

    /** One record: its JSON key and JSON value (null for a tombstone). */
    record Entry(String key, String value) {
    }

    /** A log that keeps nothing, for registries that live only in memory. */
    SchemaLog NONE = new SchemaLog() {
        @Override
        public void replay(Consumer<Entry> sink) {
        }

        @Override
        public void append(Entry entry) {
        }
    };
}
