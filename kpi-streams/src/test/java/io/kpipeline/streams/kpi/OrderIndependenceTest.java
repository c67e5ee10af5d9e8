package io.kpipeline.streams.kpi;

import io.kpipeline.connectors.simulate.CrmSimulator;
import io.kpipeline.schemas.event.EventJson;
import io.kpipeline.streams.EngineHarness;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same event set gives the same KPIs whatever the arrival order and however often events are redelivered:
 * a simulated history is sent once in event-time order and once shuffled with duplicates, and every KPI is
 * compared for every dimension key the first run produced.
 */
class OrderIndependenceTest {
    @Property(tries = 6)
    void arrivalOrderAndDuplicatesDoNotChangeAnyKpi(@ForAll @LongRange(min = 1, max = 1_000_000) long seed,
                                                     @ForAll @IntRange(min = 0, max = 30) int duplicatePercent) {
        List<String> events = new ArrayList<>();
        new CrmSimulator(seed, 6, LocalDate.of(2026, 10, 1)).advanceTo(Instant.parse("2026-11-15T00:00:00Z"))
                .forEach(e -> events.add(EventJson.write(e)));
        List<String> shuffled = new ArrayList<>(events);
        Random random = new Random(seed);
        for (String e : events) {
            if (random.nextInt(100) < duplicatePercent) {
                shuffled.add(e);
            }
        }
        Collections.shuffle(shuffled, random);
        // the shuffled copy also takes the repartition path of a multi-partition crm-events: same answers either way
        try (EngineHarness ordered = new EngineHarness(); EngineHarness chaotic = new EngineHarness(
                io.kpipeline.streams.config.EngineSettings.defaults(), io.kpipeline.streams.alerts.AlertSettings.defaults(), 4)) {
            ordered.send(events);
            chaotic.send(shuffled);
            for (KpiDefinition k : KpiCatalogue.all()) {
                for (var d : k.dimensions()) {
                    for (var g : k.grains()) {
                        String period = g == io.kpipeline.streams.time.Grain.CURRENT ? null
                                : g.format(g.ordinalOf(LocalDate.of(2026, 11, 3)));
                        var keys = new java.util.TreeSet<String>();
                        int p = period == null ? 0 : g.parse(period);
                        k.measures().forEach(m -> keys.addAll(ordered.reader().keys(m, d, g, p)));
                        for (String key : keys) {
                            assertThat(chaotic.point(k.id(), d.id(), key, g.id(), period))
                                    .as("%s %s=%s %s %s", k.id(), d.id(), key, g.id(), period)
                                    .isEqualTo(ordered.point(k.id(), d.id(), key, g.id(), period));
                        }
                    }
                }
            }
        }
    }
}
