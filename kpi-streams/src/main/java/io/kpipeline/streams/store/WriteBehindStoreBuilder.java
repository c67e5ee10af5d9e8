package io.kpipeline.streams.store;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.Map;

/** Builds a {@link WriteBehindStore} over a logged, uncached RocksDB store of the same name. */
public final class WriteBehindStoreBuilder<V> implements StoreBuilder<WriteBehindStore<V>> {
    private final StoreBuilder<KeyValueStore<String, byte[]>> inner;
    private final StoreCodec<V> codec;
    private final int maxEntries;

    public WriteBehindStoreBuilder(String name, StoreCodec<V> codec, int maxEntries) {
        this.inner = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
                .withCachingDisabled();
        this.codec = codec;
        this.maxEntries = maxEntries;
    }

    @Override
    public StoreBuilder<WriteBehindStore<V>> withCachingEnabled() {
        return this;
    }

    @Override
    public StoreBuilder<WriteBehindStore<V>> withCachingDisabled() {
        return this;
    }

    @Override
    public StoreBuilder<WriteBehindStore<V>> withLoggingEnabled(Map<String, String> config) {
        inner.withLoggingEnabled(config);
        return this;
    }

    @Override
    public StoreBuilder<WriteBehindStore<V>> withLoggingDisabled() {
        inner.withLoggingDisabled();
        return this;
    }

    @Override
    public WriteBehindStore<V> build() {
        return new WriteBehindStore<>(inner.build(), codec, maxEntries);
    }

    @Override
    public Map<String, String> logConfig() {
        return inner.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
        return inner.loggingEnabled();
    }

    @Override
    public String name() {
        return inner.name();
    }
}
