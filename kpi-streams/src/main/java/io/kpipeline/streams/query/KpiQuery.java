package io.kpipeline.streams.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.streams.aggregate.RollupSeriesReader;
import io.kpipeline.streams.aggregate.SeriesReader;
import io.kpipeline.streams.aggregate.StoreSeriesReader;
import io.kpipeline.streams.kpi.KpiCatalogue;
import io.kpipeline.streams.kpi.KpiDefinition;
import io.kpipeline.streams.kpi.Levels;
import io.kpipeline.streams.kpi.Slice;
import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.time.BusinessCalendar;
import io.kpipeline.streams.time.Grain;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Answers the query API's KPI requests (catalogue, point series, ranking) from a {@link SeriesReader}, validating
 * parameters with errors that name the bad one.
 */
public final class KpiQuery {
    /** Longest range a single point query may span, so a day-grain query over decades cannot exhaust memory. */
    public static final int MAX_POINTS = 5000;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final SeriesReader reader;
    private final BusinessCalendar calendar;
    private final Clock clock;

    public KpiQuery(SeriesReader reader, BusinessCalendar calendar, Clock clock) {
        this.reader = reader;
        this.calendar = calendar;
        this.clock = clock;
    }

    /** The queries over an aggregates store as the engine writes it (day cells, rolled up to every grain), on the system clock. */
    public static KpiQuery overStore(ReadOnlyKeyValueStore<String, byte[]> aggregates, BusinessCalendar calendar) {
        return new KpiQuery(new RollupSeriesReader(new StoreSeriesReader(aggregates)), calendar, Clock.systemUTC());
    }

    /** {@code GET /api/kpis}. */
    public static ArrayNode catalogue() {
        ArrayNode out = JSON.arrayNode();
        for (KpiDefinition k : KpiCatalogue.all()) {
            ObjectNode o = out.addObject();
            o.put("id", k.id()).put("name", k.name()).put("unit", k.unit().id()).put("better", k.higherIsBetter() ? "higher" : "lower");
            ArrayNode dims = o.putArray("dimensions");
            k.dimensions().forEach(d -> dims.add(d.id()));
            ArrayNode grains = o.putArray("grains");
            k.grains().forEach(g -> grains.add(g.id()));
            o.put("description", k.description());
        }
        return out;
    }

    /** A validated selection of one KPI series. */
    public record Selection(KpiDefinition kpi, Dimension dimension, String key, Grain grain, int from, int to) {
    }

    public static KpiDefinition kpi(String id) {
        KpiDefinition k = KpiCatalogue.byId(id);
        if (k == null) {
            throw new QueryException(404, "unknown KPI '" + id + "'");
        }
        return k;
    }

    public Selection select(String id, String dimension, String key, String grain, String from, String to) {
        KpiDefinition k = kpi(id);
        Dimension d = dimension(k, dimension);
        if (d == Dimension.COMPANY) {
            key = "";
        } else if (key == null || key.isBlank()) {
            throw new QueryException(400, "key: required for dimension '" + d.id() + "'");
        }
        Grain g = grain(k, grain);
        int f = from == null ? current(g) : period(g, from, "from");
        int t = to == null ? (from == null ? f : current(g)) : period(g, to, "to");
        if (t < f) {
            throw new QueryException(400, "to: '" + to + "' is before from '" + from + "'");
        }
        if (g.count(f, t) > MAX_POINTS) {
            throw new QueryException(400, "from/to: range of more than " + MAX_POINTS + " periods");
        }
        return new Selection(k, d, key, g, f, t);
    }

    /** {@code GET /api/kpis/{id}}. */
    public ObjectNode points(Selection s) {
        ObjectNode out = JSON.objectNode();
        out.put("kpi", s.kpi().id()).put("dimension", s.dimension().id());
        if (s.dimension() != Dimension.COMPANY) {
            out.put("key", s.key());
        }
        out.put("grain", s.grain().id()).put("unit", s.kpi().unit().id());
        ArrayNode points = out.putArray("points");
        for (int p = s.from(); p <= s.to(); p = s.grain().next(p)) {
            points.add(point(s.kpi(), s.dimension(), s.key(), s.grain(), p));
        }
        return out;
    }

    public ObjectNode point(KpiDefinition k, Dimension d, String key, Grain g, int period) {
        ObjectNode point = JSON.objectNode();
        point.put("period", g.format(period));
        return k.compute(new Slice(reader, d, key, g, period, calendar.day(clock.instant())), point);
    }

    /** {@code GET /api/kpis/{id}/ranking}. */
    public ObjectNode ranking(String id, String dimension, String grain, String period, String limitText) {
        return ranking(id, dimension, grain, period, limitText, true);
    }

    /**
     * As {@link #ranking(String, String, String, String, String)}; {@code read} false checks the request and answers
     * no entries (an instance holding no share of the aggregates, which gathers the others').
     */
    public ObjectNode ranking(String id, String dimension, String grain, String period, String limitText, boolean read) {
        KpiDefinition k = kpi(id);
        Dimension d = dimension(k, dimension == null ? (k.dimensions().contains(Dimension.REP) ? "rep" : k.dimensions().get(0).id()) : dimension);
        Grain g = grain(k, grain);
        int p = period == null ? current(g) : period(g, period, "period");
        int limit;
        try {
            limit = limitText == null ? 10 : Integer.parseInt(limitText);
        } catch (NumberFormatException e) {
            throw new QueryException(400, "limit: not a number: '" + limitText + "'");
        }
        if (limit < 1 || limit > 10_000) {
            throw new QueryException(400, "limit: must be between 1 and 10000, got " + limitText);
        }
        Set<String> keys = new TreeSet<>();
        for (Measure m : read ? k.measures() : List.<Measure>of()) {
            keys.addAll(reader.keys(m, d, g, p));
            if (m.storedYearly() && g != Grain.CURRENT) {
                // a level counts for every key that has ever changed it, not only those that changed in the period
                keys.addAll(Levels.keys(reader, m, d, g.end(p).minusDays(1).getYear()));
            }
            if (k.lookback() > 0) {
                keys.addAll(reader.keys(m, d, g, g.plus(p, -k.lookback())));
            }
        }
        List<ObjectNode> entries = new ArrayList<>();
        for (String key : keys) {
            ObjectNode point = point(k, d, key, g, p);
            if (KpiDefinition.value(point) != null) {
                point.remove("period");
                ObjectNode entry = JSON.objectNode().put("key", key);
                entry.setAll(point);
                entries.add(entry);
            }
        }
        entries.sort(rankingOrder(k));
        ObjectNode out = JSON.objectNode();
        out.put("kpi", k.id()).put("dimension", d.id()).put("grain", g.id()).put("period", g.format(p));
        ArrayNode arr = out.putArray("entries");
        entries.stream().limit(limit).forEach(arr::add);
        return out;
    }

    /** Best first, as the KPI's {@code better} says; ties by key. */
    private static Comparator<ObjectNode> rankingOrder(KpiDefinition k) {
        Comparator<ObjectNode> byValue = Comparator.comparingDouble(KpiDefinition::value);
        return (k.higherIsBetter() ? byValue.reversed() : byValue).thenComparing(e -> e.get("key").asText());
    }

    /**
     * One ranking from the rankings of disjoint shares of the keys (each instance's), each already cut to the
     * limit: the best {@code limit} of all are among the best {@code limit} of each share.
     */
    public static ObjectNode mergeRankings(ObjectNode local, List<? extends com.fasterxml.jackson.databind.JsonNode> others, int limit) {
        KpiDefinition k = kpi(local.get("kpi").asText());
        List<ObjectNode> entries = new ArrayList<>();
        local.get("entries").forEach(e -> entries.add((ObjectNode) e));
        others.forEach(o -> o.get("entries").forEach(e -> entries.add((ObjectNode) e)));
        entries.sort(rankingOrder(k));
        ObjectNode out = local.deepCopy();
        ArrayNode arr = out.putArray("entries");
        entries.stream().limit(limit).forEach(arr::add);
        return out;
    }

    private static Dimension dimension(KpiDefinition k, String text) {
        Dimension d = text == null ? Dimension.COMPANY : Dimension.byId(text);
        if (d == null) {
            throw new QueryException(400, "dimension: unknown dimension '" + text + "'");
        }
        if (!k.dimensions().contains(d)) {
            throw new QueryException(400, "dimension: '" + d.id() + "' does not apply to " + k.id()
                    + " (use one of " + k.dimensions().stream().map(Dimension::id).toList() + ")");
        }
        return d;
    }

    private static Grain grain(KpiDefinition k, String text) {
        Grain g = text == null ? (k.grains().contains(Grain.MONTH) ? Grain.MONTH : k.grains().get(0)) : Grain.byId(text);
        if (g == null) {
            throw new QueryException(400, "grain: unknown grain '" + text + "'");
        }
        if (!k.grains().contains(g)) {
            throw new QueryException(400, "grain: '" + g.id() + "' does not apply to " + k.id()
                    + " (use one of " + k.grains().stream().map(Grain::id).toList() + ")");
        }
        return g;
    }

    private int current(Grain g) {
        return g == Grain.CURRENT ? 0 : calendar.period(g, clock.instant());
    }

    private static int period(Grain g, String text, String param) {
        if (g == Grain.CURRENT) {
            return 0;
        }
        try {
            return g.parse(text);
        } catch (RuntimeException e) {
            throw new QueryException(400, param + ": '" + text + "' is not a " + g.id() + " period (" + g.example() + ")");
        }
    }
}
