package io.kpipeline.streams.aggregate;

import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.time.Grain;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stores and kpi-deltas name measures, dimensions and grains by fixed codes, never by ordinal: a store written by this
 * state format must read the same after the enums are reordered or extended. The codes are pinned here; changing one
 * is a new state format (app/StateFormat).
 */
class StoredCodesTest {
    @Test
    void dimensionsAndGrainsKeepTheirCodes() {
        Map<Dimension, Character> dims = new LinkedHashMap<>();
        for (Dimension d : Dimension.values()) {
            dims.put(d, d.code());
        }
        assertThat(dims).containsExactlyInAnyOrderEntriesOf(Map.of(Dimension.COMPANY, 'c', Dimension.TEAM, 't', Dimension.REP, 'r',
                Dimension.REGION, 'g', Dimension.PRODUCT, 'p', Dimension.SOURCE, 's', Dimension.SEGMENT, 'm'));
        Map<Grain, Character> grains = new LinkedHashMap<>();
        for (Grain g : Grain.values()) {
            grains.put(g, g.code());
        }
        assertThat(grains).containsExactlyInAnyOrderEntriesOf(Map.of(Grain.DAY, 'd', Grain.WEEK, 'w', Grain.MONTH, 'm',
                Grain.QUARTER, 'q', Grain.YEAR, 'y', Grain.CURRENT, 'c'));
        for (Dimension d : Dimension.values()) {
            assertThat(Dimension.byCode(d.code())).isEqualTo(d);
        }
        for (Grain g : Grain.values()) {
            assertThat(Grain.byCode(g.code())).isEqualTo(g);
        }
    }

    @Test
    void measureCodesAreDistinctAndRead() {
        assertThat(Arrays.stream(Measure.values()).map(Measure::code).distinct().count()).isEqualTo(Measure.values().length);
        for (Measure m : Measure.values()) {
            assertThat(Measure.byCode(m.code())).isEqualTo(m);
        }
    }

    @Test
    void aSeriesKeyReadsBackByItsCodes() {
        String key = SeriesKey.series(Measure.LEADS_CREATED, Dimension.REGION, Grain.QUARTER, 8107, "EMEA");
        assertThat(SeriesKey.parseSeries(key.substring(0, key.length() - 1)))
                .isEqualTo(new SeriesKey.Parsed(Measure.LEADS_CREATED, Dimension.REGION, Grain.QUARTER, 8107, "EMEA"));
        assertThat(key).startsWith(Measure.LEADS_CREATED.code() + "\u0001g\u0001q\u0001");
    }
}
