package io.kpipeline.streams.kpi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.time.Grain;

import java.util.List;

/**
 * One KPI of the catalogue: what the API lists about it, the measures it is computed from (a change to any of
 * them republishes it; rankings consider the keys that have any of them), and how a point is computed from them.
 * A change in a period also moves the {@code lookback} periods after it (lead velocity compares with the period
 * before), or, when {@code cumulative}, every period after it (customers active at a period's start are the sum
 * of all that came before).
 */
public record KpiDefinition(String id, String name, String unit, boolean higherIsBetter, List<Dimension> dimensions,
                            List<Grain> grains, String description, List<Measure> measures, Calculator calculator,
                            int lookback, boolean cumulative) {

    /** Fills a point (period already set) with {@code value} and its parts. */
    @FunctionalInterface
    public interface Calculator {
        void compute(Slice slice, ObjectNode point);
    }

    /** The same KPI, its points moved by a change in any period before theirs. */
    KpiDefinition asCumulative() {
        return new KpiDefinition(id, name, unit, higherIsBetter, dimensions, grains, description, measures, calculator, lookback, true);
    }

    public ObjectNode compute(Slice slice, ObjectNode point) {
        calculator.compute(slice, point);
        return point;
    }

    /** The value of a computed point as a number, or null. */
    public static Double value(ObjectNode point) {
        return point.hasNonNull("value") ? point.get("value").asDouble() : null;
    }
}
