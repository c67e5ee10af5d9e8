package io.kpipeline.streams.aggregate;

import io.kpipeline.streams.contrib.Contribution;
import io.kpipeline.streams.query.RollupSeriesReader;
import io.kpipeline.streams.store.WriteBehindStore;
import io.kpipeline.streams.time.BusinessCalendar;
import io.kpipeline.streams.time.Grain;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/**
 * Adds and retracts contributions in the calendar aggregates: each contribution counts in every dimension it has a
 * key for, in its day and its month (other grains are rolled up from these when read) or the single current period,
 * in its sub-key and in the total (a duration in the histogram those parts hold). Each touched day (or current
 * series) is marked for republication on kpi-updates, with every period that contains it.
 *
 * <p>Changes are summed per (measure, dimension, key, day, sub-key) in a small map between flushes, and applied to
 * the day, its month, the totals and the marks only when the stores flush, before each commit. The hot path then
 * touches a map that stays in the CPU's caches, once per cell, instead of the store's map of every series about
 * five times (day and month, total and sub-key, mark); a day's many changes between two commits cost one update of
 * each stored entry. Nothing reads the aggregates between flushes: queries and the publisher read what was flushed.
 */
public final class AggregateWriter {
    private final WriteBehindStore<Parts> aggregates;
    private final ChangedSeries changed;
    private final BusinessCalendar calendar;
    private final Map<Cell, Parts> pending = new HashMap<>();

    /**
     * One day (or the current period) of one measure under one dimension key and sub-key ("" for none). Equality is
     * written out: the record's generated one went through method handles that the profile showed uninlined.
     */
    private record Cell(Measure measure, Dimension dimension, Grain grain, int period, String key, String sub) {
        @Override
        public int hashCode() {
            return ((measure.ordinal() * 31 + dimension.ordinal()) * 31 + period) * 31 * 31 + key.hashCode() * 31 + sub.hashCode();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Cell c && c.measure == measure && c.dimension == dimension && c.grain == grain
                    && c.period == period && c.key.equals(key) && c.sub.equals(sub);
        }
    }

    public AggregateWriter(WriteBehindStore<Parts> aggregates, ChangedSeries changed, BusinessCalendar calendar) {
        this.aggregates = aggregates;
        this.changed = changed;
        this.calendar = calendar;
        aggregates.beforeFlush(this::applyPending);
        aggregates.onClear(pending::clear);
    }

    public void add(int sign, Contribution c) {
        Grain grain = c.at() == null ? Grain.CURRENT : Grain.DAY;
        int period = c.at() == null ? 0 : calendar.epochDay(c.at());
        String sub = c.sub().isEmpty() ? "" : SeriesKey.clean(c.sub());
        for (Dimension dim : Dimension.values()) {
            String key = c.keys().get(dim);
            if (key == null || (c.only() != null && c.only() != dim)) {
                continue;
            }
            pending.computeIfAbsent(new Cell(c.measure(), dim, grain, period, SeriesKey.clean(key), sub), x -> new Parts())
                    .add(sign, c.count(), c.amount(), c.millis());
        }
    }

    /** Applies the changes summed since the last flush to the stored periods (day, month, year if stored) and marks them. */
    private void applyPending() {
        for (Map.Entry<Cell, Parts> e : pending.entrySet()) {
            Parts delta = e.getValue();
            if (delta.isZero()) {
                continue; // added and retracted again: nothing changed
            }
            Cell cell = e.getKey();
            if (cell.grain() == Grain.CURRENT) {
                changed.mark(apply(cell, Grain.CURRENT, 0, delta));
                continue;
            }
            LocalDate day = LocalDate.ofEpochDay(cell.period());
            for (Grain g : RollupSeriesReader.STORED) {
                String series = apply(cell, g, g.ordinalOf(day), delta);
                if (g == Grain.DAY) {
                    // the day's mark stands for every period containing it: the publisher republishes them all
                    changed.mark(series);
                }
            }
            if (cell.measure().storedYearly()) {
                apply(cell, Grain.YEAR, Grain.YEAR.ordinalOf(day), delta);
            }
        }
        pending.clear();
        changed.log();
    }

    /** Adds a change to one stored period, total and sub-key; returns the series key. */
    private String apply(Cell cell, Grain grain, int period, Parts delta) {
        String series = SeriesKey.series(cell.measure(), cell.dimension(), grain, period, cell.key());
        aggregates.update(series, Parts::new).merge(delta);
        if (!cell.sub().isEmpty()) {
            aggregates.update(series + cell.sub(), Parts::new).merge(delta);
        }
        return series;
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
}
