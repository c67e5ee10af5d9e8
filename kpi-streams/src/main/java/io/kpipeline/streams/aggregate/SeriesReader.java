package io.kpipeline.streams.aggregate;

import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.time.Grain;

import java.util.Map;
import java.util.Set;

/** Reads aggregate parts; implemented over the local state store, or over several instances' stores. */
public interface SeriesReader {
    /** The parts of one series, its duration histogram included (empty parts when it has none). */
    Parts get(Measure m, Dimension d, Grain g, int period, String key, String sub);

    default Parts get(Measure m, Dimension d, Grain g, int period, String key) {
        return get(m, d, g, period, key, "");
    }

    /** The parts of every sub-key (stage, channel) of one series, total excluded. */
    Map<String, Parts> subs(Measure m, Dimension d, Grain g, int period, String key);

    /** The dimension keys with data for one measure in one period. */
    Set<String> keys(Measure m, Dimension d, Grain g, int period);
}
