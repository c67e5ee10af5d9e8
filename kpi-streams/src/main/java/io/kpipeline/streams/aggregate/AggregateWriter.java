package io.kpipeline.streams.aggregate;

import io.kpipeline.streams.store.StoreCodec;
import io.kpipeline.streams.store.WriteBehindStore;
import io.kpipeline.streams.time.BusinessCalendar;
import io.kpipeline.streams.time.Grain;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The aggregate stage's side: applies the pre-summed changes that arrive on {@code kpi-deltas} to the calendar
 * aggregates, in the day and its month (other grains are rolled up from these when read) or the single current
 * period, in the sub-key and in the total (a duration in the histogram those parts hold). Each touched day (or
 * current series) is marked for republication on kpi-updates, with every period that contains it.
 *
 * <p>Changes are summed again per {@link Cell} in a small map between flushes, and applied to
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

    public AggregateWriter(WriteBehindStore<Parts> aggregates, ChangedSeries changed, BusinessCalendar calendar) {
        this.aggregates = aggregates;
        this.changed = changed;
        this.calendar = calendar;
        aggregates.beforeFlush(this::applyPending);
        aggregates.onClear(pending::clear);
    }

    /** Adds the changes of one {@code kpi-deltas} record (summed again until the next flush). */
    public void apply(List<Map.Entry<Cell, Parts>> cells) {
        for (Map.Entry<Cell, Parts> e : cells) {
            Parts p = pending.get(e.getKey());
            if (p == null) {
                pending.put(e.getKey(), e.getValue());
            } else {
                p.merge(e.getValue());
            }
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

    public static final StoreCodec<Parts> PARTS = new StoreCodec<>() {
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
