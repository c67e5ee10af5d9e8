package io.kpipeline.streams.config;

import io.kpipeline.streams.time.BusinessCalendar;

import java.time.Duration;
import java.util.Map;

/**
 * What the KPI engine needs to know about the business: its time zone, reporting currency and rates, how late an
 * event may be, and the lead response SLA (with overrides per lead source and segment).
 */
public record EngineSettings(BusinessCalendar calendar, FxRates fx, Duration correctionHorizon,
                             Duration leadResponseSla, Map<String, Duration> slaBySource,
                             Map<String, Duration> slaBySegment) {

    public static EngineSettings defaults() {
        return new EngineSettings(BusinessCalendar.UTC, FxRates.none("EUR"), Duration.ofDays(400),
                Duration.ofMinutes(5), Map.of(), Map.of());
    }

    /** The SLA of a lead: its source's override, else its segment's, else the default. */
    public Duration slaFor(String source, String segment) {
        if (source != null && slaBySource.containsKey(source)) {
            return slaBySource.get(source);
        }
        if (segment != null && slaBySegment.containsKey(segment)) {
            return slaBySegment.get(segment);
        }
        return leadResponseSla;
    }

    public EngineSettings withFx(FxRates rates) {
        return new EngineSettings(calendar, rates, correctionHorizon, leadResponseSla, slaBySource, slaBySegment);
    }

    public EngineSettings withSlaBySource(Map<String, Duration> bySource) {
        return new EngineSettings(calendar, fx, correctionHorizon, leadResponseSla, bySource, slaBySegment);
    }

    public EngineSettings withCalendar(BusinessCalendar c) {
        return new EngineSettings(c, fx, correctionHorizon, leadResponseSla, slaBySource, slaBySegment);
    }
}
