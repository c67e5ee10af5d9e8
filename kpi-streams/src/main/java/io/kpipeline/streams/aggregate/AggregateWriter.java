package io.kpipeline.streams.aggregate;

import io.kpipeline.streams.contrib.Contribution;
import io.kpipeline.streams.query.RollupSeriesReader;
import io.kpipeline.streams.time.BusinessCalendar;
import io.kpipeline.streams.time.Grain;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.HashMap;
import java.util.Map;

/**
 * Adds and retracts contributions in the calendar aggregates: each contribution counts in every dimension it has a
 * key for, in its day and its month (other grains are rolled up from these when read) or the single current period, in its
 * sub-key and in the total. Changes of one input event are combined first, then written once per series, and each
 * touched series is marked for republication.
 */
public final class AggregateWriter {
    private static final byte[] MARK = new byte[0];
    private final KeyValueStore<String, byte[]> aggregates;
    private final KeyValueStore<String, byte[]> histograms;
    private final KeyValueStore<String, byte[]> dirty;
    private final BusinessCalendar calendar;
    private final Map<String, Parts> pending = new HashMap<>();

    private final Map<String, long[]> pendingBuckets = new HashMap<>();

    public AggregateWriter(KeyValueStore<String, byte[]> aggregates, KeyValueStore<String, byte[]> histograms,
                           KeyValueStore<String, byte[]> dirty, BusinessCalendar calendar) {
        this.aggregates = aggregates;
        this.histograms = histograms;
        this.dirty = dirty;
        this.calendar = calendar;
    }

    public void add(int sign, Contribution c) {
        for (Dimension dim : Dimension.values()) {
            String key = c.keys().get(dim);
            if (key == null) {
                continue;
            }
            key = SeriesKey.clean(key);
            if (c.at() == null) {
                stage(sign, c, dim, Grain.CURRENT, 0, key);
            } else {
                for (Grain g : RollupSeriesReader.STORED) {
                    stage(sign, c, dim, g, calendar.period(g, c.at()), key);
                }
            }
        }
    }

    private void stage(int sign, Contribution c, Dimension dim, Grain g, int period, String key) {
        String series = SeriesKey.series(c.measure(), dim, g, period, key);
        stage(sign, c, series);
        if (!c.sub().isEmpty()) {
            stage(sign, c, series + SeriesKey.clean(c.sub()));
        }
    }

    private void stage(int sign, Contribution c, String seriesKey) {
        pending.computeIfAbsent(seriesKey, k -> new Parts()).add(sign, c.count(), c.amount(), c.millis());
        if (c.millis() >= 0) {
            long[] b = pendingBuckets.computeIfAbsent(HistogramKey.of(seriesKey, Parts.bucketOf(c.millis())), k -> new long[2]);
            b[0] += sign;
            b[1] += sign * c.millis();
        }
    }

    /** Writes the combined changes. */
    public void flush() {
        for (Map.Entry<String, Parts> e : pending.entrySet()) {
            if (e.getValue().isZero()) {
                continue;
            }
            Parts parts = Parts.fromBytes(aggregates.get(e.getKey())).merge(e.getValue());
            if (parts.isZero()) {
                aggregates.delete(e.getKey());
            } else {
                aggregates.put(e.getKey(), parts.toBytes());
            }
            String[] keyAndSub = SeriesKey.keyAndSub(e.getKey());
            dirty.put(e.getKey().substring(0, e.getKey().length() - keyAndSub[1].length()), MARK);
        }
        pending.clear();
        for (Map.Entry<String, long[]> e : pendingBuckets.entrySet()) {
            long[] delta = e.getValue();
            if (delta[0] == 0 && delta[1] == 0) {
                continue;
            }
            byte[] old = histograms.get(e.getKey());
            long[] b = old == null ? new long[2] : HistogramKey.read(old);
            b[0] += delta[0];
            b[1] += delta[1];
            if (b[0] == 0) {
                histograms.delete(e.getKey());
            } else {
                histograms.put(e.getKey(), HistogramKey.value(b[0], b[1]));
            }
        }
        pendingBuckets.clear();
    }
}
