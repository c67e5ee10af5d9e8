package io.kpipeline.streams.kpi;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kpipeline.streams.aggregate.Parts;
import io.kpipeline.streams.aggregate.SeriesReader;
import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.time.Grain;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The measures a KPI declares it reads are the measures its calculation reads. The declaration decides which
 * changes republish a KPI and which keys its rankings list, so a measure read but not declared would leave points
 * stale and rankings short. Each KPI is computed over a reader that answers every series with data (so that no
 * branch is skipped for want of it) and records what is asked.
 */
class KpiReadsTest {
    static final class RecordingReader implements SeriesReader {
        final Set<Measure> read = EnumSet.noneOf(Measure.class);

        static Parts some() {
            return new Parts().add(1, 3, BigDecimal.valueOf(7), 60_000);
        }

        @Override
        public Parts get(Measure m, Dimension d, Grain g, int period, String key, String sub) {
            read.add(m);
            return some();
        }

        @Override
        public Map<String, Parts> subs(Measure m, Dimension d, Grain g, int period, String key) {
            read.add(m);
            return Map.of("a", some(), "b", some());
        }

        @Override
        public Set<String> keys(Measure m, Dimension d, Grain g, int period) {
            read.add(m);
            return Set.of("k");
        }
    }

    @Test
    void everyKpiReadsExactlyTheMeasuresItDeclares() {
        LocalDate today = LocalDate.of(2026, 11, 18);
        for (KpiDefinition k : KpiCatalogue.all()) {
            Set<Measure> read = new HashSet<>();
            for (Grain g : k.grains()) {
                for (Dimension d : k.dimensions()) {
                    RecordingReader reader = new RecordingReader();
                    k.compute(new Slice(reader, d, d == Dimension.COMPANY ? "all" : "k", g, g.ordinalOf(today), today),
                            JsonNodeFactory.instance.objectNode());
                    read.addAll(reader.read);
                }
            }
            assertThat(read).as("the measures %s reads", k.id()).containsExactlyInAnyOrderElementsOf(new HashSet<>(k.measures()));
        }
    }
}
