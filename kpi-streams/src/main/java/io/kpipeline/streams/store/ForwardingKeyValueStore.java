package io.kpipeline.streams.store;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.List;
import java.util.Map;

/**
 * A key-value store that hands every call to the store it wraps, registered under that store's name with this one
 * as its root: the base of a layer that changes only some calls.
 */
abstract class ForwardingKeyValueStore implements KeyValueStore<String, byte[]> {
    protected final KeyValueStore<String, byte[]> inner;

    ForwardingKeyValueStore(KeyValueStore<String, byte[]> inner) {
        this.inner = inner;
    }

    @Override
    public void put(String key, byte[] value) {
        inner.put(key, value);
    }

    @Override
    public byte[] putIfAbsent(String key, byte[] value) {
        return inner.putIfAbsent(key, value);
    }

    @Override
    public void putAll(List<KeyValue<String, byte[]>> entries) {
        inner.putAll(entries);
    }

    @Override
    public byte[] delete(String key) {
        return inner.delete(key);
    }

    @Override
    public byte[] get(String key) {
        return inner.get(key);
    }

    @Override
    public KeyValueIterator<String, byte[]> range(String from, String to) {
        return inner.range(from, to);
    }

    @Override
    public KeyValueIterator<String, byte[]> reverseRange(String from, String to) {
        return inner.reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<String, byte[]> all() {
        return inner.all();
    }

    @Override
    public KeyValueIterator<String, byte[]> reverseAll() {
        return inner.reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<String, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
        return inner.prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return inner.approximateNumEntries();
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        inner.init(context, root);
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        inner.commit(changelogOffsets);
    }

    @Override
    public boolean managesOffsets() {
        return inner.managesOffsets();
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return inner.committedOffset(partition);
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return inner.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return inner.getPosition();
    }
}
