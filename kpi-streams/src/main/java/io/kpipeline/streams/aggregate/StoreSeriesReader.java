package io.kpipeline.streams.aggregate;

import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.time.Grain;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A {@link SeriesReader} over one key-value store of aggregates. */
public final class StoreSeriesReader implements SeriesReader {
    private static final StringSerializer STRINGS = new StringSerializer();
    private final ReadOnlyKeyValueStore<String, byte[]> store;

    public StoreSeriesReader(ReadOnlyKeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    @Override
    public Parts get(Measure m, Dimension d, Grain g, int period, String key, String sub) {
        return Parts.fromBytes(store.get(SeriesKey.of(m, d, g, period, key, sub)));
    }

    @Override
    public Map<String, Parts> subs(Measure m, Dimension d, Grain g, int period, String key) {
        Map<String, Parts> out = new LinkedHashMap<>();
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(SeriesKey.series(m, d, g, period, key), STRINGS)) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                String sub = SeriesKey.keyAndSub(kv.key)[1];
                if (!sub.isEmpty()) {
                    out.put(sub, Parts.fromBytes(kv.value));
                }
            }
        }
        return out;
    }

    @Override
    public Set<String> keys(Measure m, Dimension d, Grain g, int period) {
        Set<String> keys = new TreeSet<>();
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(SeriesKey.period(m, d, g, period), STRINGS)) {
            while (it.hasNext()) {
                keys.add(SeriesKey.keyAndSub(it.next().key)[0]);
            }
        }
        return keys;
    }
}
