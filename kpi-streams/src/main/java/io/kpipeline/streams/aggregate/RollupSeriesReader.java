package io.kpipeline.streams.aggregate;

import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.time.Grain;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Serves every grain from the two that are stored: a week is the sum of its seven days, a quarter of its three
 * months and a year of its twelve. Parts are sums, so the rollup is exact, histograms included. Storing two grains
 * instead of five is what keeps the engine's writes per event low.
 */
public final class RollupSeriesReader implements SeriesReader {
    /** The grains the engine writes; the others are rolled up from these. */
    public static final Grain[] STORED = {Grain.DAY, Grain.MONTH};

    private final SeriesReader stored;

    public RollupSeriesReader(SeriesReader stored) {
        this.stored = stored;
    }

    /** The stored grain a grain is rolled up from. */
    public static Grain base(Grain g) {
        return switch (g) {
            case WEEK -> Grain.DAY;
            case QUARTER, YEAR -> Grain.MONTH;
            default -> g;
        };
    }

    /** The first stored period of a period and how many there are. */
    static int[] span(Grain g, int period) {
        return switch (g) {
            case WEEK -> new int[] {period, 7};
            case QUARTER -> new int[] {period * 3, 3};
            case YEAR -> new int[] {period * 12, 12};
            default -> new int[] {period, 1};
        };
    }

    /** The period of grain {@code g} containing stored period {@code basePeriod} of {@code base(g)}. */
    public static int containing(Grain g, int basePeriod) {
        return switch (g) {
            case WEEK -> Grain.WEEK.ordinalOf(java.time.LocalDate.ofEpochDay(basePeriod));
            case QUARTER -> Math.floorDiv(basePeriod, 3);
            case YEAR -> Math.floorDiv(basePeriod, 12);
            default -> basePeriod;
        };
    }

    private static boolean isStored(Measure m, Grain g, int[] span) {
        return span[1] == 1 || (g == Grain.YEAR && m.storedYearly());
    }

    @Override
    public Parts get(Measure m, Dimension d, Grain g, int period, String key, String sub) {
        int[] span = span(g, period);
        if (isStored(m, g, span)) {
            return stored.get(m, d, g, period, key, sub);
        }
        Parts sum = new Parts();
        for (int i = 0; i < span[1]; i++) {
            sum.merge(stored.get(m, d, base(g), span[0] + i, key, sub));
        }
        return sum;
    }

    @Override
    public Map<String, Parts> subs(Measure m, Dimension d, Grain g, int period, String key) {
        int[] span = span(g, period);
        if (isStored(m, g, span)) {
            return stored.subs(m, d, g, period, key);
        }
        Map<String, Parts> out = new HashMap<>();
        for (int i = 0; i < span[1]; i++) {
            stored.subs(m, d, base(g), span[0] + i, key).forEach((sub, p) -> out.computeIfAbsent(sub, x -> new Parts()).merge(p));
        }
        out.values().removeIf(Parts::isZero);
        return new TreeMap<>(out);
    }

    @Override
    public Set<String> keys(Measure m, Dimension d, Grain g, int period) {
        int[] span = span(g, period);
        if (isStored(m, g, span)) {
            return stored.keys(m, d, g, period);
        }
        Set<String> out = new TreeSet<>();
        for (int i = 0; i < span[1]; i++) {
            out.addAll(stored.keys(m, d, base(g), span[0] + i));
        }
        return out;
    }
}
