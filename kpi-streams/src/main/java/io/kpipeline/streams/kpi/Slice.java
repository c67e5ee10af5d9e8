package io.kpipeline.streams.kpi;

import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.aggregate.Parts;
import io.kpipeline.streams.aggregate.SeriesReader;
import io.kpipeline.streams.time.Grain;

import java.time.LocalDate;
import java.util.Map;

/** One point being computed: a dimension key, grain and period (and today, for point-in-time KPIs), with access to the parts of any measure there. */
public record Slice(SeriesReader reader, Dimension dimension, String key, Grain grain, int period, LocalDate today) {
    /** The parts of a measure here, its duration histogram included. */
    public Parts parts(Measure m) {
        return reader.get(m, dimension, grain, period, key);
    }

    public long count(Measure m) {
        return parts(m).count();
    }

    public Map<String, Parts> subs(Measure m) {
        return reader.subs(m, dimension, grain, period, key);
    }

    /** The same slice in another period of its grain. */
    public Slice at(int otherPeriod) {
        return new Slice(reader, dimension, key, grain, otherPeriod, today);
    }
}
