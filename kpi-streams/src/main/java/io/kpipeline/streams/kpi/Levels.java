package io.kpipeline.streams.kpi;

import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.aggregate.Parts;
import io.kpipeline.streams.aggregate.SeriesReader;
import io.kpipeline.streams.time.Grain;

import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

/**
 * A level kept as its changes: a measure stored by day, month and year ({@link Measure#storedYearly()}) whose sum
 * over all time before an instant is the level then (customers, the open pipeline). The sum reads whole years
 * before the day, the months of its year before it and the days of its month before it: at most about 80 stored
 * series whatever the length of the history.
 */
public final class Levels {
    /** History before this year is not expected; sums of levels start here. */
    public static final int FIRST_YEAR = 1990;

    private Levels() {
    }

    /** The level of {@code m} in the slice's dimension key at the start of {@code day}. */
    public static Parts before(Slice s, Measure m, LocalDate day) {
        Parts sum = new Parts();
        forEachBefore(day, (g, p) -> sum.merge(s.reader().get(m, s.dimension(), g, p, s.key())));
        return sum;
    }

    /** As {@link #before}, by sub-key (stage), zeros left out. */
    public static Map<String, Parts> subsBefore(Slice s, Measure m, LocalDate day) {
        Map<String, Parts> out = new TreeMap<>();
        forEachBefore(day, (g, p) -> s.reader().subs(m, s.dimension(), g, p, s.key())
                .forEach((sub, parts) -> out.computeIfAbsent(sub, x -> new Parts()).merge(parts)));
        out.values().removeIf(Parts::isZero);
        return out;
    }

    /** The keys of {@code d} that have ever changed the level of {@code m}, up to the end of {@code lastYear}. */
    public static java.util.Set<String> keys(SeriesReader reader, Measure m, Dimension d, int lastYear) {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        for (int y = FIRST_YEAR; y <= lastYear; y++) {
            keys.addAll(reader.keys(m, d, Grain.YEAR, y));
        }
        return keys;
    }

    private interface StoredPeriod {
        void accept(Grain g, int period);
    }

    private static void forEachBefore(LocalDate day, StoredPeriod each) {
        for (int y = FIRST_YEAR; y < day.getYear(); y++) {
            each.accept(Grain.YEAR, y);
        }
        for (int m = Grain.MONTH.ordinalOf(day.withDayOfYear(1)); m < Grain.MONTH.ordinalOf(day); m++) {
            each.accept(Grain.MONTH, m);
        }
        for (LocalDate d = day.withDayOfMonth(1); d.isBefore(day); d = d.plusDays(1)) {
            each.accept(Grain.DAY, (int) d.toEpochDay());
        }
    }
}
