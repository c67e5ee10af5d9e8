package io.kpipeline.streams.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.avro.KpiPoint;
import io.kpipeline.streams.aggregate.Dimension;
import io.kpipeline.streams.aggregate.SeriesKey;
import io.kpipeline.streams.kpi.KpiCatalogue;
import io.kpipeline.streams.kpi.KpiDefinition;
import io.kpipeline.streams.query.KpiQuery;
import io.kpipeline.streams.query.StoreSeriesReader;
import io.kpipeline.streams.time.BusinessCalendar;
import io.kpipeline.streams.time.Grain;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Publishes to {@code kpi-updates} the points of every KPI whose series changed since the last run: one record
 * per (KPI, dimension, key, grain, period), keyed so a compacted topic keeps the latest point of each. Marks are
 * kept in a logged store, so a crash between a change and its publication republishes rather than forgets.
 */
final class UpdatePublisher {
    /** Bounds one punctuation so a backfill's flood of changes cannot stall processing for long. */
    private static final int MAX_SERIES_PER_RUN = 20_000;
    private final KeyValueStore<String, byte[]> dirty;
    private final KpiQuery query;
    private final EngineCounters counters;

    UpdatePublisher(KeyValueStore<String, byte[]> aggregates, KeyValueStore<String, byte[]> dirty, BusinessCalendar calendar,
                    EngineCounters counters) {
        this.dirty = dirty;
        this.query = new KpiQuery(new StoreSeriesReader(aggregates), calendar, Clock.systemUTC());
        this.counters = counters;
    }

    record Target(KpiDefinition kpi, Dimension dimension, String key, Grain grain, int period) {
    }

    void publish(ProcessorContext<String, Object> context, long now) {
        List<String> done = new ArrayList<>();
        Set<Target> targets = new LinkedHashSet<>();
        try (KeyValueIterator<String, byte[]> it = dirty.all()) {
            while (it.hasNext() && done.size() < MAX_SERIES_PER_RUN) {
                KeyValue<String, byte[]> kv = it.next();
                done.add(kv.key);
                SeriesKey.Parsed s = SeriesKey.parseSeries(kv.key);
                for (KpiDefinition k : KpiCatalogue.using(s.measure())) {
                    if (k.dimensions().contains(s.dimension()) && k.grains().contains(s.grain())) {
                        targets.add(new Target(k, s.dimension(), s.key(), s.grain(), s.period()));
                        if (k.lookback() > 0) {
                            targets.add(new Target(k, s.dimension(), s.key(), s.grain(), s.grain().plus(s.period(), k.lookback())));
                        }
                    }
                }
            }
        }
        for (Target t : targets) {
            ObjectNode point = query.point(t.kpi, t.dimension, t.key, t.grain, t.period);
            String periodText = t.grain.format(t.period);
            String key = t.kpi.id() + "|" + t.dimension.id() + "|" + t.key + "|" + t.grain.id() + "|" + periodText;
            KpiPoint out = new KpiPoint(t.kpi.id(), t.dimension.id(), t.dimension == Dimension.COMPANY ? null : t.key,
                    t.grain.id(), periodText, t.kpi.unit(), number(point, "value"), number(point, "numerator"),
                    number(point, "denominator"), point.hasNonNull("count") ? point.get("count").asLong() : null,
                    number(point, "sum"), number(point, "p50"), number(point, "p90"), number(point, "p99"),
                    point.toString(), Instant.ofEpochMilli(now));
            context.forward(new Record<>(key, out, now));
        }
        done.forEach(dirty::delete);
        counters.published(targets.size());
    }

    private static Double number(ObjectNode point, String field) {
        JsonNode n = point.get(field);
        return n == null || !n.isNumber() ? null : n.asDouble();
    }
}
