package io.kpipeline.streams.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.avro.KpiPoint;
import io.kpipeline.streams.aggregate.Dimension;
import io.kpipeline.streams.aggregate.SeriesKey;
import io.kpipeline.streams.kpi.KpiCatalogue;
import io.kpipeline.streams.kpi.KpiDefinition;
import io.kpipeline.streams.query.KpiQuery;
import io.kpipeline.streams.query.RollupSeriesReader;
import io.kpipeline.streams.query.SeriesReader;
import io.kpipeline.streams.time.BusinessCalendar;
import io.kpipeline.streams.time.Grain;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import io.kpipeline.streams.aggregate.ChangedSeries;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Publishes to {@code kpi-updates} the points of every KPI whose series changed since the last run: one record
 * per (KPI, dimension, key, grain, period), keyed so a compacted topic keeps the latest point of each. The changed
 * series come from {@link ChangedSeries}, which logs them, so a crash between a change and its publication
 * republishes rather than forgets.
 */
final class UpdatePublisher {
    /**
     * Bounds one punctuation so that during a backfill publishing takes at most about a tenth of the thread's time;
     * series left over stay pending and go out first in later runs.
     */
    private static final long BUDGET_NANOS = 100_000_000L;
    private final ChangedSeries changed;
    private final KpiQuery query;
    private final EngineCounters counters;

    UpdatePublisher(SeriesReader reader, ChangedSeries changed, BusinessCalendar calendar, EngineCounters counters) {
        this.changed = changed;
        this.query = new KpiQuery(reader, calendar, Clock.systemUTC());
        this.counters = counters;
    }

    record Target(KpiDefinition kpi, Dimension dimension, String key, Grain grain, int period) {
        /** kpi|dimension|key|grain|period: a compacted topic keeps the latest point of each. */
        String recordKey() {
            return kpi.id() + "|" + dimension.id() + "|" + key + "|" + grain.id() + "|" + grain.format(period);
        }
    }

    void publish(ProcessorContext<String, Object> context, long now) {
        long deadline = System.nanoTime() + BUDGET_NANOS;
        List<String> done = new ArrayList<>();
        Set<Target> published = new HashSet<>();
        for (Iterator<String> it = changed.oldestFirst(); it.hasNext() && System.nanoTime() < deadline; ) {
            String series = it.next();
            done.add(series);
            for (Target t : targets(SeriesKey.parseSeries(series))) {
                if (published.add(t)) {
                    context.forward(new Record<>(t.recordKey(), point(t, now), now));
                }
            }
        }
        done.forEach(changed::published);
        counters.published(published.size());
    }

    /**
     * Every KPI point a change of one marked series can move: a day moves every period containing it (week, month,
     * quarter, year: the engine marks days only); a month mark (older state) its quarter and year.
     */
    private static List<Target> targets(SeriesKey.Parsed s) {
        List<Target> out = new ArrayList<>();
        for (KpiDefinition k : KpiCatalogue.using(s.measure())) {
            if (!k.dimensions().contains(s.dimension())) {
                continue;
            }
            for (Grain g : k.grains()) {
                int period;
                if (s.grain() == Grain.DAY && g != Grain.CURRENT) {
                    period = g.ordinalOf(java.time.LocalDate.ofEpochDay(s.period()));
                } else if (RollupSeriesReader.base(g) == s.grain()) {
                    period = RollupSeriesReader.containing(g, s.period());
                } else {
                    continue;
                }
                out.add(new Target(k, s.dimension(), s.key(), g, period));
                if (k.lookback() > 0) {
                    out.add(new Target(k, s.dimension(), s.key(), g, g.plus(period, k.lookback())));
                }
            }
        }
        return out;
    }

    private KpiPoint point(Target t, long now) {
        ObjectNode point = query.point(t.kpi, t.dimension, t.key, t.grain, t.period);
        return new KpiPoint(t.kpi.id(), t.dimension.id(), t.dimension == Dimension.COMPANY ? null : t.key,
                t.grain.id(), t.grain.format(t.period), t.kpi.unit(), number(point, "value"), number(point, "numerator"),
                number(point, "denominator"), point.hasNonNull("count") ? point.get("count").asLong() : null,
                number(point, "sum"), number(point, "p50"), number(point, "p90"), number(point, "p99"),
                point.toString(), Instant.ofEpochMilli(now));
    }

    private static Double number(ObjectNode point, String field) {
        JsonNode n = point.get(field);
        return n == null || !n.isNumber() ? null : n.asDouble();
    }
}
