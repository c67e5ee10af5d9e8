package io.kpipeline.streams.topology;

import io.kpipeline.avro.KpiPoint;
import io.kpipeline.streams.aggregate.ChangedSeries;
import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.aggregate.Parts;
import io.kpipeline.streams.aggregate.SeriesKey;
import io.kpipeline.streams.aggregate.SeriesReader;
import io.kpipeline.streams.time.BusinessCalendar;
import io.kpipeline.streams.time.Grain;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publisher's rounds and chunks, one small series a chunk (a budget of zero), over aggregates held in a map as the
 * engine's flushes would leave them: rounds take the series changed before they began, and a point published
 * early in a round goes out again when a flush changes it before the round ends.
 */
class UpdatePublisherTest {
    @org.junit.jupiter.api.BeforeEach
    void freshThread() {
        // what the tasks of a stream thread share would otherwise carry over from the test before
        ThreadShare.reset();
    }

    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final LocalDate NOV_3 = LocalDate.of(2026, 11, 3), NOV_20 = LocalDate.of(2026, 11, 20);

    /** Aggregates by store key, read as the store reader reads them. */
    private static final class MapReader implements SeriesReader {
        final Map<String, Parts> parts = new HashMap<>();

        @Override
        public Parts get(Measure m, Dimension d, Grain g, int period, String key, String sub) {
            Parts p = parts.get(SeriesKey.of(m, d, g, period, key, sub));
            return p == null ? new Parts() : Parts.fromBytes(p.toBytes());
        }

        @Override
        public Map<String, Parts> subs(Measure m, Dimension d, Grain g, int period, String key) {
            return Map.of();
        }

        @Override
        public Set<String> keys(Measure m, Dimension d, Grain g, int period) {
            String prefix = SeriesKey.period(m, d, g, period);
            Set<String> out = new java.util.TreeSet<>();
            parts.keySet().stream().filter(k -> k.startsWith(prefix)).forEach(k -> out.add(SeriesKey.keyAndSub(k)[0]));
            return out;
        }

        void put(Measure m, Dimension d, Grain g, int period, String key, String sub, long count, long sum) {
            parts.put(SeriesKey.of(m, d, g, period, key, sub), new Parts().add(1, count, java.math.BigDecimal.valueOf(sum), -1));
        }
    }

    private final MapReader aggregates = new MapReader();
    private final ChangedSeries changed = new ChangedSeries(store());
    private final MockProcessorContext<String, Object> context = new MockProcessorContext<>();
    private final UpdatePublisher publisher = new UpdatePublisher(aggregates, changed, BusinessCalendar.UTC, new EngineCounters(), INTERVAL, 0, 0);

    private static KeyValueStore<String, byte[]> store() {
        KeyValueStore<String, byte[]> s = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("marks"), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        s.init(new MockProcessorContext<>().getStateStoreContext(), s);
        return s;
    }

    /** A flush that applies one new company lead on {@code day}: its day and month, and the day's mark. */
    private void flushLead(LocalDate day) {
        int epochDay = (int) day.toEpochDay();
        aggregates.parts.computeIfAbsent(SeriesKey.of(Measure.LEADS_CREATED, Dimension.COMPANY, Grain.DAY, epochDay, "", ""), k -> new Parts())
                .add(1, 1, null, -1);
        aggregates.parts.computeIfAbsent(SeriesKey.of(Measure.LEADS_CREATED, Dimension.COMPANY, Grain.MONTH, Grain.MONTH.ordinalOf(day), "", ""),
                k -> new Parts()).add(1, 1, null, -1);
        changed.mark(SeriesKey.series(Measure.LEADS_CREATED, Dimension.COMPANY, Grain.DAY, epochDay, ""));
        changed.log();
    }

    /** Runs a chunk at {@code nowMs} and returns the leads_created points it published, by record key. */
    private Map<String, Double> chunk(long nowMs) {
        context.resetForwards();
        publisher.publish(context, nowMs, false);
        Map<String, Double> out = new LinkedHashMap<>();
        context.forwarded().forEach(f -> {
            KpiPoint p = (KpiPoint) f.record().value();
            if (p.getKpi().equals("leads_created")) {
                out.put(f.record().key(), p.getValue());
            }
        });
        return out;
    }

    /**
     * Runs ten chunks from {@code at}, 10 ms apart (one series each, so a small round ends within them), each followed
     * by a commit that logs what it marked; returns the points published, by record key.
     */
    private Map<String, KpiPoint> chunksAndCommits(Instant at) {
        Map<String, KpiPoint> out = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            context.resetForwards();
            publisher.publish(context, at.toEpochMilli() + i * 10L, false);
            changed.log();
            context.forwarded().forEach(f -> out.put(f.record().key(), (KpiPoint) f.record().value()));
        }
        return out;
    }

    private static double field(KpiPoint p, String path) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(p.getJson()).at(path).asDouble();
    }

    @Test
    void pointsThatMoveWithTheCalendarArePublishedWhenTheDayTurnsWithoutAnEvent() throws Exception {
        int nov = Grain.MONTH.ordinalOf(NOV_20), dec = nov + 1;
        // rep R-1 has 500 open; its pipeline targets are 1,000 for November and 250 for December
        aggregates.put(Measure.PIPELINE_OPEN, Dimension.REP, Grain.CURRENT, 0, "R-1", "", 2, 500);
        aggregates.put(Measure.TARGET, Dimension.REP, Grain.MONTH, nov, "R-1", "pipeline_value/month", 1, 1000);
        aggregates.put(Measure.TARGET, Dimension.REP, Grain.MONTH, dec, "R-1", "pipeline_value/month", 1, 250);
        // three customers won in October (the customer base: their month, and their year, by which they are found)
        aggregates.put(Measure.CUSTOMERS_NET, Dimension.COMPANY, Grain.MONTH, nov - 1, "", "", 3, 0);
        aggregates.put(Measure.CUSTOMERS_NET, Dimension.COMPANY, Grain.YEAR, 2026, "", "", 3, 0);
        Instant lastMinuteOfNov = Instant.parse("2026-11-30T23:59:00Z");
        // the run's first chunk marks them (no event has), the next round publishes: coverage 500 / 1,000
        assertThat(chunksAndCommits(lastMinuteOfNov)).isEmpty();
        Map<String, KpiPoint> nov30 = chunksAndCommits(lastMinuteOfNov.plusSeconds(1));
        assertThat(field(nov30.get("pipeline_value|rep|R-1|current|current"), "/coverage/value")).isEqualTo(0.5);
        assertThat(nov30).containsKey("churn_rate|company||day|2026-11-30").doesNotContainKey("churn_rate|company||day|2026-12-01");
        // no change in the last minute of November: nothing more
        assertThat(chunksAndCommits(lastMinuteOfNov.plusSeconds(30))).isEmpty();
        // the first chunk of December marks them again: coverage against December's target, 500 / 250, and the
        // periods that begin today: 0 of the 3 customers active at the start of 1 December (and of December) churned
        assertThat(chunksAndCommits(lastMinuteOfNov.plusSeconds(61))).isEmpty();
        Map<String, KpiPoint> dec1 = chunksAndCommits(lastMinuteOfNov.plusSeconds(62));
        assertThat(field(dec1.get("pipeline_value|rep|R-1|current|current"), "/coverage/value")).isEqualTo(2.0);
        assertThat(dec1.get("churn_rate|company||day|2026-12-01").getValue()).isEqualTo(0.0);
        assertThat(dec1.get("churn_rate|company||day|2026-12-01").getDenominator()).isEqualTo(3.0);
        assertThat(dec1.get("retention_rate|company||month|2026-12").getValue()).isEqualTo(1.0);
        assertThat(changed.size()).isZero();
    }

    @Test
    void aRoundTakesTheSeriesChangedBeforeItBeganAndTheNextRoundTheRest() {
        flushLead(NOV_3);
        flushLead(NOV_20);
        // first chunk (t = 0 s) begins a round of both days and, with no budget, publishes the first: its day,
        // week, month, quarter and year as the aggregates stand (both leads flushed: 1 that day, 2 that month)
        Map<String, Double> first = chunk(0);
        assertThat(first).containsEntry("leads_created|company||day|2026-11-03", 1.0)
                .containsEntry("leads_created|company||month|2026-11", 2.0).doesNotContainKey("leads_created|company||day|2026-11-20");
        // a lead on 25 Nov after the round began: its day is not this round's, but the month changed with it, so
        // the round's second chunk (20 Nov) publishes the month again, as it now stands (3 leads)
        flushLead(LocalDate.of(2026, 11, 25));
        Map<String, Double> second = chunk(100);
        assertThat(second).containsEntry("leads_created|company||day|2026-11-20", 1.0).containsEntry("leads_created|company||month|2026-11", 3.0);
        assertThat(chunk(200)).isEmpty(); // the round is over; the next may begin a second after the first
        assertThat(chunk(900)).isEmpty();
        // the next round: 25 Nov and its week (W48); the month, unchanged since its last point, is not sent again
        Map<String, Double> next = chunk(1000);
        assertThat(next).containsEntry("leads_created|company||day|2026-11-25", 1.0).containsEntry("leads_created|company||week|2026-W48", 1.0)
                .doesNotContainKey("leads_created|company||month|2026-11");
        assertThat(changed.size()).isZero();
    }

    @Test
    void aPointPublishedEarlyInARoundGoesOutAgainWhenAFlushChangesItBeforeTheRoundEnds() {
        flushLead(NOV_3);
        flushLead(NOV_20);
        // the round publishes 3 Nov and its month (2 leads) in its first chunk
        assertThat(chunk(0)).containsEntry("leads_created|company||month|2026-11", 2.0);
        // a flush adds a lead on 3 Nov again: that day is marked anew (next round), and the month now holds 3
        flushLead(NOV_3);
        // the round's second chunk publishes 20 Nov, whose month point was published in the first chunk; it has
        // changed since, so it goes out again with the new count rather than being skipped as already published
        Map<String, Double> second = chunk(100);
        assertThat(second).containsEntry("leads_created|company||day|2026-11-20", 1.0).containsEntry("leads_created|company||month|2026-11", 3.0);
        // the next round republishes 3 Nov with its two leads
        assertThat(chunk(1000)).containsEntry("leads_created|company||day|2026-11-03", 2.0);
    }

    @Test
    void withinARoundWithoutChangesEachPointGoesOutOnce() {
        for (int d = 1; d <= 30; d++) {
            flushLead(LocalDate.of(2026, 11, d));
        }
        // thirty chunks of one day each: every day once, and the month, quarter and year (shared by all thirty
        // days) once, in the first chunk, since nothing changed during the round
        Map<String, Integer> times = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            chunk(i * 10L).keySet().forEach(k -> times.merge(k, 1, Integer::sum));
        }
        // 30 days, 6 ISO weeks (W44 holds Sunday 1 Nov, W49 Monday 30 Nov), the month, quarter and year
        assertThat(times).hasSize(30 + 6 + 3);
        assertThat(times.values()).containsOnly(1);
        assertThat(changed.size()).isZero();
    }

    /** Runs a chunk at {@code at} and returns the record keys of all the points it published, in order. */
    private java.util.List<String> allPoints(Instant at) {
        context.resetForwards();
        publisher.publish(context, at.toEpochMilli(), false);
        java.util.List<String> out = new java.util.ArrayList<>();
        context.forwarded().forEach(f -> out.add(f.record().key()));
        return out;
    }

    /** The company's open pipeline changed on 5 January: every later day, week, month... up to today's moves. */
    private void flushPipelineChange(long amount) {
        int jan5 = (int) LocalDate.of(2026, 1, 5).toEpochDay();
        aggregates.put(Measure.PIPELINE_LEVEL, Dimension.COMPANY, Grain.DAY, jan5, "", "", 1, amount);
        changed.mark(SeriesKey.series(Measure.PIPELINE_LEVEL, Dimension.COMPANY, Grain.DAY, jan5, ""));
        changed.log();
    }

    @Test
    void aSeriesWithHundredsOfPointsGoesOutOverSeveralChunksEachPointOnce() {
        flushPipelineChange(1000);
        Instant nov20 = NOV_20.atTime(12, 0).toInstant(java.time.ZoneOffset.UTC);
        // with no budget, each chunk sends the few points every chunk sends at least, then goes on where it stopped
        java.util.List<String> sent = new java.util.ArrayList<>();
        java.util.List<Integer> perChunk = new java.util.ArrayList<>();
        for (int i = 0; i < 1000 && changed.size() > 0; i++) {
            java.util.List<String> points = allPoints(nov20.plusMillis(i * 10L));
            perChunk.add(points.size());
            sent.addAll(points);
        }
        // 5 Jan to 20 Nov: 320 days, 46 ISO weeks (W02..W47), 11 months, 4 quarters and the year, 382 periods each for
        // pipeline_value, active_deals and pipeline_flow (its opening is the level before); their current points
        // (pipeline_value, active_deals: 2); target attainment at its grains, month and quarter: 15. 1,163 in all.
        assertThat(sent).hasSize(3 * 382 + 2 + 15);
        assertThat(new java.util.HashSet<>(sent)).hasSameSizeAs(sent);
        assertThat(sent).contains("pipeline_value|company||day|2026-01-05", "pipeline_value|company||day|2026-11-20",
                "active_deals|company||week|2026-W47", "pipeline_value|company||year|2026");
        assertThat(perChunk.subList(0, perChunk.size() - 1)).containsOnly(UpdatePublisher.MIN_POINTS);
        assertThat(perChunk.get(perChunk.size() - 1)).isBetween(1, UpdatePublisher.WHOLE); // the rest, once it is short
    }

    @Test
    void aSeriesChangedWhileItsPointsGoOutStartsAgainAndGoesOutWhole() {
        flushPipelineChange(1000);
        Instant nov20 = NOV_20.atTime(12, 0).toInstant(java.time.ZoneOffset.UTC);
        java.util.List<String> first = allPoints(nov20);
        assertThat(first).hasSize(UpdatePublisher.MIN_POINTS);
        // the same series changes before the next chunk: what was sent of it is stale, so it is sent again from its
        // first point, all of it in that chunk (a series changing at every commit still ends its round)
        flushPipelineChange(2000);
        java.util.List<String> second = allPoints(nov20.plusMillis(10));
        assertThat(second.subList(0, first.size())).isEqualTo(first);
        assertThat(second).hasSize(3 * 382 + 2 + 15);
        assertThat(new java.util.HashSet<>(second)).hasSameSizeAs(second);
    }
}
