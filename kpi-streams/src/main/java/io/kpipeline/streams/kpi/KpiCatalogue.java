package io.kpipeline.streams.kpi;

import io.kpipeline.streams.measure.Measure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every KPI the pipeline serves, in the catalogue's order: the lead and funnel KPIs ({@link FunnelKpis}), deal and
 * pipeline ({@link DealKpis}), customer and economics ({@link CustomerKpis}). Each KPI is declared there once, from
 * the aggregate measures; this class only looks them up.
 */
public final class KpiCatalogue {
    private static final Map<String, KpiDefinition> BY_ID = new LinkedHashMap<>();

    static {
        Stream.of(FunnelKpis.declared(), DealKpis.declared(), CustomerKpis.declared()).flatMap(List::stream).forEach(k -> {
            if (BY_ID.putIfAbsent(k.id(), k) != null) {
                throw new IllegalStateException("KPI " + k.id() + " is declared twice");
            }
        });
    }

    private KpiCatalogue() {
    }

    public static KpiDefinition byId(String id) {
        return BY_ID.get(id);
    }

    public static List<KpiDefinition> all() {
        return List.copyOf(BY_ID.values());
    }

    /** The KPIs computed from {@code m}, so a change to it republishes them. */
    public static List<KpiDefinition> using(Measure m) {
        List<KpiDefinition> out = new ArrayList<>();
        for (KpiDefinition k : BY_ID.values()) {
            if (k.measures().contains(m)) {
                out.add(k);
            }
        }
        return out;
    }
}
