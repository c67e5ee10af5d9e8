package io.kpipeline.streams.aggregate;

import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.time.Grain;

/**
 * The store key of one aggregate series: measure, dimension, grain, period, dimension key and sub-key (a stage
 * or channel; "" is the total over sub-keys). All keys of one (measure, dimension, grain, period) share a prefix,
 * so a ranking is one prefix scan, and all sub-keys of one series share a prefix, so a breakdown by stage is too.
 * Periods are fixed-width so they sort in time order. Measures, dimensions and grains appear by their fixed codes.
 */
public final class SeriesKey {
    static final char SEP = '\u0001';
    private static final long PERIOD_OFFSET = 1_000_000_000L;

    private SeriesKey() {
    }

    public static String of(Measure m, Dimension dim, Grain grain, int period, String key, String sub) {
        return series(m, dim, grain, period, key) + sub;
    }

    /** The prefix shared by every key and sub-key of one period. */
    public static String period(Measure m, Dimension dim, Grain grain, int period) {
        String p = Long.toString(period + PERIOD_OFFSET);
        return m.code() + SEP + dim.code() + SEP + grain.code() + SEP + "0".repeat(10 - p.length()) + p + SEP;
    }

    /** The prefix shared by every sub-key of one series. */
    public static String series(Measure m, Dimension dim, Grain grain, int period, String key) {
        return period(m, dim, grain, period) + key + SEP;
    }

    /** The dimension key and sub-key of a full key, as a two-element array. */
    public static String[] keyAndSub(String seriesKey) {
        int last = seriesKey.lastIndexOf(SEP);
        int before = seriesKey.lastIndexOf(SEP, last - 1);
        return new String[] {seriesKey.substring(before + 1, last), seriesKey.substring(last + 1)};
    }

    /** Removes the separator from free text (stages, ids) so it cannot break a key apart. */
    public static String clean(String text) {
        return text.indexOf(SEP) < 0 ? text : text.replace(SEP, ' ');
    }

    private static char single(String code) {
        if (code.length() != 1) {
            throw new IllegalArgumentException("not a one-letter code: '" + code + "'");
        }
        return code.charAt(0);
    }

    /** The parts of a key made by {@link #series}: measure, dimension, grain, period and dimension key. */
    public record Parsed(Measure measure, Dimension dimension, Grain grain, int period, String key) {
    }

    public static Parsed parseSeries(String series) {
        String[] f = series.split(String.valueOf(SEP), -1);
        return new Parsed(Measure.byCode(f[0]), Dimension.byCode(single(f[1])), Grain.byCode(single(f[2])),
                (int) (Long.parseLong(f[3]) - PERIOD_OFFSET), f[4]);
    }
}
