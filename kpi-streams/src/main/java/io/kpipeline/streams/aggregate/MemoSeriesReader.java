package io.kpipeline.streams.aggregate;

import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.time.Grain;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Remembers what another reader answered until {@link #clear}: the publisher's points of one run read the same
 * series many times over (a month for its quarter and its year, won deals for win rate, revenue and average deal
 * size), and nothing changes the aggregates during a run. Answers are shared, so callers only read them, as every
 * caller of a {@link SeriesReader} does.
 */
public final class MemoSeriesReader implements SeriesReader {
    private record Series(Measure m, Dimension d, Grain g, int period, String key, String sub) {
        /* written out: the generated methods go through method handles, which the publisher's profile showed uninlined */
        @Override
        public int hashCode() {
            return ((((m.ordinal() * 31 + d.ordinal()) * 31 + g.ordinal()) * 31 + period) * 31 + key.hashCode()) * 31 + sub.hashCode();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Series s && s.m == m && s.d == d && s.g == g && s.period == period && s.key.equals(key) && s.sub.equals(sub);
        }
    }

    private final SeriesReader inner;
    private final Map<Series, Parts> parts = new HashMap<>();
    private final Map<Series, Map<String, Parts>> subs = new HashMap<>();
    private final Map<Series, Set<String>> keys = new HashMap<>();

    public MemoSeriesReader(SeriesReader inner) {
        this.inner = inner;
    }

    /** Forgets every answer; call whenever the aggregates may have changed. */
    public void clear() {
        parts.clear();
        subs.clear();
        keys.clear();
    }

    /** How many answers it holds. */
    public int size() {
        return parts.size() + subs.size() + keys.size();
    }

    @Override
    public Parts get(Measure m, Dimension d, Grain g, int period, String key, String sub) {
        Series s = new Series(m, d, g, period, key, sub);
        Parts p = parts.get(s);
        if (p == null) {
            p = inner.get(m, d, g, period, key, sub);
            parts.put(s, p);
        }
        return p;
    }

    @Override
    public Map<String, Parts> subs(Measure m, Dimension d, Grain g, int period, String key) {
        Series s = new Series(m, d, g, period, key, "");
        Map<String, Parts> out = subs.get(s);
        if (out == null) {
            out = Collections.unmodifiableMap(inner.subs(m, d, g, period, key));
            subs.put(s, out);
        }
        return out;
    }

    @Override
    public Set<String> keys(Measure m, Dimension d, Grain g, int period) {
        Series s = new Series(m, d, g, period, "", "");
        Set<String> out = keys.get(s);
        if (out == null) {
            out = Collections.unmodifiableSet(inner.keys(m, d, g, period));
            keys.put(s, out);
        }
        return out;
    }
}
