package io.kpipeline.streams.kpi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.time.Grain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One KPI of the catalogue: what the API lists about it, the measures it is computed from (a change to any of
 * them republishes it; rankings consider the keys that have any of them), and how a point is computed from them.
 * A change in a period also moves the {@code lookback} periods after it (lead velocity compares with the period
 * before), or, when {@code cumulative}, every period after it (customers active at a period's start are the sum
 * of all that came before). Declared through {@link #kpi(String)}, each part by name.
 */
public record KpiDefinition(String id, String name, Unit unit, boolean higherIsBetter, List<Dimension> dimensions,
                            List<Grain> grains, String description, List<Measure> measures, Calculator calculator,
                            int lookback, boolean cumulative) {

    /** Fills a point (period already set) with {@code value} and its parts. */
    @FunctionalInterface
    public interface Calculator {
        void compute(Slice slice, ObjectNode point);
    }

    public KpiDefinition {
        dimensions = List.copyOf(dimensions);
        grains = List.copyOf(grains);
        measures = List.copyOf(measures);
    }

    /** Starts the declaration of KPI {@code id}; {@link Builder#computedBy} ends it. */
    public static Builder kpi(String id) {
        return new Builder(id);
    }

    public ObjectNode compute(Slice slice, ObjectNode point) {
        calculator.compute(slice, point);
        return point;
    }

    /** The value of a computed point as a number, or null. */
    public static Double value(ObjectNode point) {
        return point.hasNonNull("value") ? point.get("value").asDouble() : null;
    }

    /**
     * A KPI's declaration, part by part. Every part but {@code lookback} and {@code cumulative} must be given:
     * {@link #computedBy} refuses a declaration that leaves one out, naming it.
     */
    public static final class Builder {
        private final String id;
        private String name;
        private Unit unit;
        private Boolean higherIsBetter;
        private List<Dimension> dimensions;
        private List<Grain> grains;
        private String definition;
        private final List<Measure> reads = new ArrayList<>();
        private int lookback;
        private boolean cumulative;

        private Builder(String id) {
            this.id = Objects.requireNonNull(id);
        }

        /** The name the API and the dashboard show. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder unit(Unit unit) {
            this.unit = unit;
            return this;
        }

        /** Rankings list the highest first. */
        public Builder higherIsBetter() {
            this.higherIsBetter = true;
            return this;
        }

        /** Rankings list the lowest first. */
        public Builder lowerIsBetter() {
            this.higherIsBetter = false;
            return this;
        }

        public Builder dimensions(List<Dimension> dimensions) {
            this.dimensions = dimensions;
            return this;
        }

        public Builder grains(List<Grain> grains) {
            this.grains = grains;
            return this;
        }

        /** The definition as the catalogue words it, with the reading chosen where it leaves room. */
        public Builder definition(String definition) {
            this.definition = definition;
            return this;
        }

        /** The measures the calculation reads; {@code KpiReadsTest} holds them to what it does read. */
        public Builder reads(Measure... measures) {
            reads.addAll(List.of(measures));
            return this;
        }

        /** A point also reads the {@code periods} before its own, so a change moves that many after it. */
        public Builder lookback(int periods) {
            this.lookback = periods;
            return this;
        }

        /** A point sums everything before its period, so a change moves every later period. */
        public Builder cumulative() {
            this.cumulative = true;
            return this;
        }

        public KpiDefinition computedBy(Calculator calculator) {
            require(name, "name");
            require(unit, "unit");
            require(higherIsBetter, "higherIsBetter() or lowerIsBetter()");
            require(dimensions, "dimensions");
            require(grains, "grains");
            require(definition, "definition");
            require(reads.isEmpty() ? null : reads, "reads");
            require(calculator, "computedBy");
            return new KpiDefinition(id, name, unit, higherIsBetter, dimensions, grains, definition, reads, calculator,
                    lookback, cumulative);
        }

        private void require(Object part, String what) {
            if (part == null) {
                throw new IllegalStateException("KPI " + id + " is declared without " + what);
            }
        }
    }
}
