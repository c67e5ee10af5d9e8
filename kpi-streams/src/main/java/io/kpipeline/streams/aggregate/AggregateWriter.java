package io.kpipeline.streams.aggregate;

import io.kpipeline.streams.contrib.Contribution;
import io.kpipeline.streams.query.RollupSeriesReader;
import io.kpipeline.streams.store.WriteBehindStore;
import io.kpipeline.streams.time.BusinessCalendar;
import io.kpipeline.streams.time.Grain;

/**
 * Adds and retracts contributions in the calendar aggregates: each contribution counts in every dimension it has a
 * key for, in its day and its month (other grains are rolled up from these when read) or the single current period,
 * in its sub-key and in the total; a duration also counts in its histogram bucket. Each touched series is marked
 * for republication on kpi-updates.
 */
public final class AggregateWriter {
    private final WriteBehindStore<Parts> aggregates;
    private final WriteBehindStore<long[]> histograms;
    private final WriteBehindStore<Boolean> dirty;
    private final BusinessCalendar calendar;

    public AggregateWriter(WriteBehindStore<Parts> aggregates, WriteBehindStore<long[]> histograms,
                           WriteBehindStore<Boolean> dirty, BusinessCalendar calendar) {
        this.aggregates = aggregates;
        this.histograms = histograms;
        this.dirty = dirty;
        this.calendar = calendar;
    }

    public void add(int sign, Contribution c) {
        for (Dimension dim : Dimension.values()) {
            String key = c.keys().get(dim);
            if (key == null || (c.only() != null && c.only() != dim)) {
                continue;
            }
            key = SeriesKey.clean(key);
            if (c.at() == null) {
                add(sign, c, dim, Grain.CURRENT, 0, key);
            } else {
                for (Grain g : RollupSeriesReader.STORED) {
                    add(sign, c, dim, g, calendar.period(g, c.at()), key);
                }
                if (c.measure().storedYearly()) {
                    add(sign, c, dim, Grain.YEAR, calendar.period(Grain.YEAR, c.at()), key);
                }
            }
        }
    }

    private void add(int sign, Contribution c, Dimension dim, Grain g, int period, String key) {
        String series = SeriesKey.series(c.measure(), dim, g, period, key);
        add(sign, c, series);
        if (!c.sub().isEmpty()) {
            add(sign, c, series + SeriesKey.clean(c.sub()));
        }
        dirty.set(series, Boolean.TRUE);
    }

    private void add(int sign, Contribution c, String seriesKey) {
        aggregates.update(seriesKey, Parts::new).add(sign, c.count(), c.amount(), c.millis());
        if (c.millis() >= 0) {
            long[] b = histograms.update(HistogramKey.of(seriesKey, Parts.bucketOf(c.millis())), () -> new long[2]);
            b[0] += sign;
            b[1] += sign * c.millis();
        }
    }

    public static final WriteBehindStore.Codec<Parts> PARTS = new WriteBehindStore.Codec<>() {
        public Parts decode(byte[] bytes) {
            return Parts.fromBytes(bytes);
        }

        public byte[] encode(Parts value) {
            return value.toBytes();
        }

        public boolean isEmpty(Parts value) {
            return value.isZero();
        }
    };

    public static final WriteBehindStore.Codec<long[]> BUCKET = new WriteBehindStore.Codec<>() {
        public long[] decode(byte[] bytes) {
            return HistogramKey.read(bytes);
        }

        public byte[] encode(long[] value) {
            return HistogramKey.value(value[0], value[1]);
        }

        public boolean isEmpty(long[] value) {
            return value[0] == 0 && value[1] == 0;
        }
    };

    public static final WriteBehindStore.Codec<Boolean> MARK = new WriteBehindStore.Codec<>() {
        private final byte[] empty = new byte[0];

        public Boolean decode(byte[] bytes) {
            return Boolean.TRUE;
        }

        public byte[] encode(Boolean value) {
            return empty;
        }

        public boolean isEmpty(Boolean value) {
            return false;
        }
    };
}
