package io.kpipeline.streams.aggregate;

import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.contrib.Contribution;
import io.kpipeline.streams.time.BusinessCalendar;
import io.kpipeline.streams.time.Grain;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entity stage's side of the aggregates: each contribution added or retracted counts in every dimension it has
 * a key for, in its day (or the single current period), in its sub-key; the changes are summed per {@link Cell}
 * until the task's next commit and then sent as one record per {@code dimension|key} (local-global aggregation:
 * the {@code company} key, which every event touches, gets one record per task per commit, not one per event).
 */
public final class DeltaBuffer {
    private final BusinessCalendar calendar;
    private final Map<Cell, Parts> pending = new HashMap<>();
    /** what was added since {@link #begin}, to be taken back by {@link #rollback}; one list reused by every input */
    private final List<Added> journal = new ArrayList<>();
    private boolean journaling;

    private record Added(int sign, Contribution contribution) {
    }

    public DeltaBuffer(BusinessCalendar calendar) {
        this.calendar = calendar;
    }

    public void add(int sign, Contribution c) {
        if (journaling) {
            journal.add(new Added(sign, c));
        }
        Grain grain = c.at() == null ? Grain.CURRENT : Grain.DAY;
        int period = c.at() == null ? 0 : calendar.epochDay(c.at());
        String sub = c.sub().isEmpty() ? "" : SeriesKey.clean(c.sub());
        for (Dimension dim : Dimension.ALL) {
            String key = c.keys().get(dim);
            if (key == null || (c.only() != null && c.only() != dim)) {
                continue;
            }
            pending.computeIfAbsent(new Cell(c.measure(), dim, grain, period, SeriesKey.clean(key), sub), x -> new Parts())
                    .add(sign, c.count(), c.amount(), c.millis());
        }
    }

    public int size() {
        return pending.size();
    }

    /** The non-zero changes summed since the last drain, grouped by {@code dimension|key}; the buffer is emptied. */
    public Map<String, List<Map.Entry<Cell, Parts>>> drain() {
        Map<String, List<Map.Entry<Cell, Parts>>> out = new LinkedHashMap<>();
        // grouped by dimension, then key, so the owner's name is built once per group rather than once per cell
        Map<Dimension, Map<String, List<Map.Entry<Cell, Parts>>>> groups = new EnumMap<>(Dimension.class);
        for (Map.Entry<Cell, Parts> e : pending.entrySet()) {
            if (e.getValue().isZero()) {
                continue;
            }
            Cell cell = e.getKey();
            Map<String, List<Map.Entry<Cell, Parts>>> byKey = groups.computeIfAbsent(cell.dimension(), d -> new HashMap<>());
            List<Map.Entry<Cell, Parts>> group = byKey.get(cell.key());
            if (group == null) {
                group = new ArrayList<>();
                byKey.put(cell.key(), group);
                out.put(cell.owner(), group);
            }
            group.add(e);
        }
        pending.clear();
        return out;
    }

    /** Forgets what was not sent (the task's uncommitted work is being discarded). */
    public void clear() {
        pending.clear();
        journal.clear();
        journaling = false;
    }

    /** Starts recording what is added, so that one input's changes can be taken back whole. */
    public void begin() {
        journal.clear();
        journaling = true;
    }

    /** Keeps what was added since {@link #begin}. */
    public void commit() {
        journal.clear();
        journaling = false;
    }

    /** Takes back what was added since {@link #begin} (sums are exact, so adding the opposite restores them). */
    public void rollback() {
        journaling = false;
        for (int i = journal.size() - 1; i >= 0; i--) {
            add(-journal.get(i).sign(), journal.get(i).contribution());
        }
        journal.clear();
    }
}
