package io.kpipeline.streams.aggregate;

import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.time.Grain;

/**
 * One day (or the current period) of one measure under one dimension key and sub-key ("" for none): the unit in
 * which contribution deltas are summed, on the entity stage before they are sent and on the aggregate stage before
 * they are stored. Equality is written out: the record's generated one went through method handles that the profile
 * showed uninlined.
 */
public record Cell(Measure measure, Dimension dimension, Grain grain, int period, String key, String sub) {
    @Override
    public int hashCode() {
        return ((measure.ordinal() * 31 + dimension.ordinal()) * 31 + period) * 31 * 31 + key.hashCode() * 31 + sub.hashCode();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cell c && c.measure == measure && c.dimension == dimension && c.grain == grain
                && c.period == period && c.key.equals(key) && c.sub.equals(sub);
    }

    /** The partition key of the aggregate stage: every KPI of one {@code dimension|key} lives in one task. */
    public String owner() {
        return ownerKey(dimension, key);
    }

    public static String ownerKey(Dimension dimension, String key) {
        return dimension.id() + "|" + key;
    }
}
