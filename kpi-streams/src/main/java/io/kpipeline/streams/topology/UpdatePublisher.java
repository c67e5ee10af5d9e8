package io.kpipeline.streams.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.avro.KpiPoint;
import io.kpipeline.avro.TargetMetric;
import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.aggregate.SeriesKey;
import io.kpipeline.streams.kpi.Levels;
import io.kpipeline.streams.kpi.KpiCatalogue;
import io.kpipeline.streams.kpi.KpiDefinition;
import io.kpipeline.streams.kpi.Plans;
import io.kpipeline.streams.kpi.Slice;
import io.kpipeline.streams.query.KpiQuery;
import io.kpipeline.streams.aggregate.MemoSeriesReader;
import io.kpipeline.streams.aggregate.RollupSeriesReader;
import io.kpipeline.streams.aggregate.SeriesReader;
import io.kpipeline.streams.time.BusinessCalendar;
import io.kpipeline.streams.time.Grain;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import io.kpipeline.streams.aggregate.ChangedSeries;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Publishes to {@code kpi-updates} the points of every KPI whose series changed since the last run: one record
 * per (KPI, dimension, key, grain, period), keyed so a compacted topic keeps the latest point of each. The changed
 * series come from {@link ChangedSeries}, which logs them, so a crash between a change and its publication
 * republishes rather than forgets.
 *
 * <p>A round, at most one per publish interval, takes the series changed up to its start, so that a series
 * changing at every commit is published once an interval. It runs in short chunks ({@link #chunk}) with a budget
 * each: a tenth of the thread while the engine works through a backlog, half of it otherwise, so that after a
 * backfill (hundreds of thousands of changed series) the topic catches up in seconds without holding up an event
 * for more than a few tens of milliseconds. Points already published are not published again, nor series read
 * again, until an aggregate changes.
 */
final class UpdatePublisher {
    private static final Duration CHUNK = Duration.ofMillis(100);
    /**
     * Whatever its budget, a chunk sends its first series whole when it has at most {@code WHOLE} points left, else at
     * least {@code MIN_POINTS} of them: every chunk moves its round on without overrunning the budget by much.
     */
    static final int WHOLE = 64, MIN_POINTS = 8;
    /**
     * What the publisher remembers at most before it forgets and reads or sends again: points sent (about 100 bytes
     * each; a backfill of 1M events publishes about 230,000), and series read (parts with histograms: up to a few KB).
     */
    private static final int POINTS_REMEMBERED = 300_000, SERIES_REMEMBERED = 100_000;
    private final ChangedSeries changed;
    /** the stored periods, and the rolled-up ones, each read once until an aggregate changes */
    private final MemoSeriesReader stored, rolledUp;
    /** computes the points of the chunk under way, at its wall-clock time (for points that depend on today) */
    private KpiQuery query;
    private final EngineCounters counters;
    private final BusinessCalendar calendar;
    private final long intervalMs;
    private final long backlogBudgetNanos, budgetNanos;
    private final long chunkNanos;
    private final Set<Target> published = new HashSet<>();
    /** the series a chunk stopped in, and the index of its next point (null: none) */
    private String resumeSeries;
    private int resumeAt;
    /** the day the series' points were listed for: the cumulative ones reach up to it */
    private LocalDate resumeDay;
    private long generation = -1;
    /** the series logged under records below this belong to the round under way; -1: none is */
    private long roundLimit = -1;
    private long nextRoundMs;
    /** the business day of the chunk under way: cumulative KPIs and pipeline targets are republished up to it */
    private LocalDate today;
    /** the day whose calendar-turn points were last marked (null: none yet in this run) */
    private LocalDate turnMarked;

    /** {@code reader}: the stored grains, as the engine writes them. */
    UpdatePublisher(SeriesReader reader, ChangedSeries changed, BusinessCalendar calendar, EngineCounters counters, Duration interval) {
        this(reader, changed, calendar, counters, interval, chunk(interval).toNanos() / 10, chunk(interval).toNanos() / 2);
    }

    /** With the time a chunk may take in a backlog and otherwise (a chunk takes at least one series). */
    UpdatePublisher(SeriesReader reader, ChangedSeries changed, BusinessCalendar calendar, EngineCounters counters, Duration interval,
                    long backlogBudgetNanos, long budgetNanos) {
        this.changed = changed;
        this.backlogBudgetNanos = backlogBudgetNanos;
        this.budgetNanos = budgetNanos;
        this.stored = new MemoSeriesReader(reader);
        this.rolledUp = new MemoSeriesReader(new RollupSeriesReader(stored));
        this.counters = counters;
        this.calendar = calendar;
        this.intervalMs = interval.toMillis();
        this.chunkNanos = chunk(interval).toNanos();
    }

    /** How often the publisher runs a chunk, for a publish interval. */
    static Duration chunk(Duration interval) {
        return interval.compareTo(CHUNK) < 0 ? interval : CHUNK;
    }

    record Target(KpiDefinition kpi, Dimension dimension, String key, Grain grain, int period) {
        /*
         * Written out: the record's generated methods hashed the whole definition (its lists and calculator) through
         * method handles, a third of the publisher's time in the profile.
         */
        @Override
        public int hashCode() {
            return (((kpi.id().hashCode() * 31 + dimension.ordinal()) * 31 + key.hashCode()) * 31 + grain.ordinal()) * 31 + period;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Target t && t.kpi.id().equals(kpi.id()) && t.dimension == dimension && t.grain == grain && t.period == period
                    && t.key.equals(key);
        }

        /** kpi|dimension|key|grain|period: a compacted topic keeps the latest point of each. */
        String recordKey() {
            return kpi.id() + "|" + dimension.id() + "|" + key + "|" + grain.id() + "|" + grain.format(period);
        }
    }

    /** One chunk; {@code backlog}: the engine is working through a backlog and keeps most of the thread. */
    void publish(ProcessorContext<String, Object> context, long now, boolean backlog) {
        if (changed.generation() != generation || published.size() > POINTS_REMEMBERED || stored.size() + rolledUp.size() > SERIES_REMEMBERED) {
            generation = changed.generation();
            published.clear();
            stored.clear();
            rolledUp.clear();
        }
        // the budget is the thread's: its other aggregate tasks' publishers share it (each still sends a few points)
        ThreadShare share = ThreadShare.current();
        long left = share.remaining(chunkNanos, backlog ? backlogBudgetNanos : budgetNanos);
        long started = System.nanoTime();
        long deadline = started + Math.max(0, left);
        query = new KpiQuery(rolledUp, calendar, Clock.fixed(Instant.ofEpochMilli(now), java.time.ZoneOffset.UTC));
        today = calendar.day(Instant.ofEpochMilli(now));
        if (!today.equals(turnMarked)) {
            markCalendarTurn();
            turnMarked = today;
        }
        int points = 0;
        boolean first = true;
        while (true) {
            if (roundLimit < 0) {
                if (now < nextRoundMs) {
                    break;
                }
                roundLimit = changed.nextRecord();
                nextRoundMs = now + intervalMs;
            }
            List<String> done = new ArrayList<>();
            boolean outOfTime = false;
            for (Iterator<Map.Entry<String, Long>> it = changed.oldestFirstWithRecords(); it.hasNext(); ) {
                Map.Entry<String, Long> series = it.next();
                if (series.getValue() < 0 || series.getValue() >= roundLimit) {
                    break; // changed after the round began: the next round's
                }
                // A series may stop between points when the chunk's time is up (a late event on a cumulative KPI
                // moves hundreds of later periods) and go on from there in the next chunk. What it sent stays sent
                // unless the series itself changed meanwhile: then it starts again and goes out whole, so that a
                // series changing at every commit cannot hold its round forever. (Any other series a sent point
                // reads marks that point again when it changes.)
                List<Target> targets = targets(SeriesKey.parseSeries(series.getKey()));
                int from = 0;
                boolean whole = false;
                if (series.getKey().equals(resumeSeries) && today.equals(resumeDay)) {
                    whole = changed.markedSinceWatch();
                    from = whole ? 0 : resumeAt;
                }
                resumeSeries = null;
                changed.watch(null);
                // the least the chunk's first series sends: all of a small one, a few points of a long one, one when
                // the thread's other publishers have spent its budget (a thread runs many tasks, each its publisher)
                int least = left <= 0 && share.spentByOthers(this) ? 1 : targets.size() - from <= WHOLE ? targets.size() - from : MIN_POINTS;
                int i = from;
                for (; i < targets.size(); i++) {
                    if (!whole && (!first || i - from >= least) && System.nanoTime() >= deadline) {
                        outOfTime = true;
                        break;
                    }
                    Target t = targets.get(i);
                    if (published.add(t)) {
                        context.forward(new Record<>(t.recordKey(), point(t, now), now));
                        points++;
                    }
                }
                if (outOfTime) {
                    resumeSeries = series.getKey();
                    resumeAt = i;
                    resumeDay = today;
                    changed.watch(resumeSeries);
                    break;
                }
                first = false;
                done.add(series.getKey());
            }
            done.forEach(changed::published);
            if (outOfTime) {
                break;
            }
            roundLimit = -1; // over; the next begins now if it is due
        }
        share.spend(this, System.nanoTime() - started);
        counters.published(points);
        counters.awaitingPublication(this, changed.size());
    }

    /**
     * Every KPI point a change of one marked series can move: a day moves every period containing it (week, month,
     * quarter, year: the engine marks days only); a month mark (older state) its quarter and year; for a KPI with a
     * lookback the periods after those too, all of them up to today's for a cumulative one; a dated series read by
     * a current point (a target, for pipeline coverage) that point; a change of the pipeline, besides its own
     * points, target attainment of the periods ahead wherever a pipeline-value target is set.
     */
    private List<Target> targets(SeriesKey.Parsed s) {
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
                    if (g == Grain.CURRENT) {
                        // a current point reading a dated series: pipeline coverage, against this month's target
                        out.add(new Target(k, s.dimension(), s.key(), Grain.CURRENT, 0));
                    }
                    continue;
                }
                out.add(new Target(k, s.dimension(), s.key(), g, period));
                if (s.measure() == Measure.PIPELINE_LEVEL && k.id().equals("target_attainment")) {
                    pipelineTargets(k, s, g, out);
                }
                if (k.lookback() > 0) {
                    out.add(new Target(k, s.dimension(), s.key(), g, g.plus(period, k.lookback())));
                }
                if (k.cumulative()) {
                    // every later period up to today's (later ones are not published until they have data)
                    for (int p = g.next(period), last = g.ordinalOf(today); p <= last; p = g.next(p)) {
                        out.add(new Target(k, s.dimension(), s.key(), g, p));
                    }
                }
            }
        }
        return out;
    }

    /**
     * The periods of {@code g} after today's with a pipeline-value target for the series' scope, up to a year ahead:
     * a period not yet ended measures the pipeline as it is now, so any change of it moves their attainment (the
     * periods up to today's are republished as for any cumulative KPI).
     */
    private void pipelineTargets(KpiDefinition k, SeriesKey.Parsed s, Grain g, List<Target> out) {
        for (int p = g.next(g.ordinalOf(today)), last = g.ordinalOf(today.plusYears(1)); p <= last; p = g.next(p)) {
            Slice slice = new Slice(rolledUp, s.dimension(), s.key(), g, p, today);
            if (Plans.target(slice, TargetMetric.pipeline_value.name(), g, p) != null) {
                out.add(new Target(k, s.dimension(), s.key(), g, p));
            }
        }
    }

    /**
     * Marks the series whose points move with the calendar rather than with events, at the first chunk of a run and
     * of each business day: the current pipeline of every key (its coverage is against the target of the current
     * month, else quarter), and today's level of every key with customers or pipeline (churn and retention of the
     * periods that begin today, the pipeline at the end of the periods containing today and its target attainment,
     * which the API answers with no event in them). The marks are logged
     * at the next commit and published in the round after, as any other.
     */
    private void markCalendarTurn() {
        int day = (int) today.toEpochDay();
        for (Dimension d : Dimension.ALL) {
            for (String key : stored.keys(Measure.PIPELINE_OPEN, d, Grain.CURRENT, 0)) {
                changed.mark(SeriesKey.series(Measure.PIPELINE_OPEN, d, Grain.CURRENT, 0, key));
            }
            for (Measure level : new Measure[] {Measure.CUSTOMERS_NET, Measure.PIPELINE_LEVEL}) {
                for (String key : Levels.keys(stored, level, d, today.getYear())) {
                    changed.mark(SeriesKey.series(level, d, Grain.DAY, day, key));
                }
            }
        }
    }

    private KpiPoint point(Target t, long now) {
        ObjectNode point = query.point(t.kpi, t.dimension, t.key, t.grain, t.period);
        return new KpiPoint(t.kpi.id(), t.dimension.id(), t.dimension == Dimension.COMPANY ? null : t.key,
                t.grain.id(), t.grain.format(t.period), t.kpi.unit().id(), number(point, "value"), number(point, "numerator"),
                number(point, "denominator"), point.hasNonNull("count") ? point.get("count").asLong() : null,
                number(point, "sum"), number(point, "p50"), number(point, "p90"), number(point, "p99"),
                point.toString(), Instant.ofEpochMilli(now));
    }

    private static Double number(ObjectNode point, String field) {
        JsonNode n = point.get(field);
        return n == null || !n.isNumber() ? null : n.asDouble();
    }
}
