package io.kpipeline.streams.kpi;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpipeline.streams.EngineHarness;
import io.kpipeline.streams.alerts.AlertSettings;
import io.kpipeline.streams.config.EngineSettings;
import io.kpipeline.streams.time.Grain;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random deal histories (amount edits, reassignments, stage changes, wins and losses with and without a final
 * amount, reopenings, events dated before the creation and several at one instant) give the same pipeline over
 * time whatever the arrival order, the duplicates and the partitioning, and the same as a reference computed here
 * the slow way: every deal folded from scratch up to each instant, straight from the catalogue's words.
 */
class PipelineHistoryPropertyTest {
    private static final LocalDate FIRST = LocalDate.of(2026, 9, 1), LAST = LocalDate.of(2026, 11, 22);
    private static final String[] REPS = {"R-1", "R-2", "R-3"};
    private static final String[] STAGES = {"s1", "s2", "s3"};

    /** One event as the test generated it, with what the reference needs. */
    record Ev(String id, String type, Instant at, String dealId, String json, Map<String, String> fields) {
    }

    @Property(tries = 5)
    void historyAndFlowAreExactWhateverTheOrderDuplicatesAndPartitions(@ForAll @LongRange(min = 1, max = 1_000_000) long seed,
                                                                      @ForAll @IntRange(min = 0, max = 40) int duplicatePercent) {
        Random random = new Random(seed);
        List<Ev> events = history(random, 14);
        List<String> ordered = new ArrayList<>();
        events.stream().sorted(Comparator.comparing(Ev::at)).forEach(e -> ordered.add(e.json()));
        List<String> shuffled = new ArrayList<>(ordered);
        for (String e : ordered) {
            if (random.nextInt(100) < duplicatePercent) {
                shuffled.add(e);
            }
        }
        Collections.shuffle(shuffled, random);
        try (EngineHarness one = new EngineHarness(); EngineHarness eight = new EngineHarness(EngineSettings.defaults(), AlertSettings.defaults(), 8)) {
            one.send(ordered);
            eight.send(shuffled);
            Reference ref = new Reference(events);
            List<String> scopes = new ArrayList<>(List.of(""));
            scopes.addAll(List.of(REPS));
            for (String rep : scopes) {
                String dim = rep.isEmpty() ? "company" : "rep";
                for (Grain g : List.of(Grain.DAY, Grain.MONTH, Grain.QUARTER)) {
                    for (int p = g.ordinalOf(FIRST); p <= g.ordinalOf(LAST); p = g.next(p)) {
                        String period = g.format(p);
                        LocalDate end = g.end(p).isAfter(LAST) ? LAST.plusDays(1) : g.end(p);
                        LocalDate start = g.start(p);
                        for (String kpi : List.of("pipeline_value", "active_deals", "pipeline_flow")) {
                            JsonNode a = one.point(kpi, dim, rep, g.id(), period);
                            assertThat(eight.point(kpi, dim, rep, g.id(), period)).as("%s %s %s %s", kpi, dim, rep, period).isEqualTo(a);
                        }
                        Level closing = ref.levelBefore(end, rep);
                        JsonNode value = one.point("pipeline_value", dim, rep, g.id(), period);
                        assertThat(number(value)).as("pipeline_value %s %s", rep, period).isEqualTo(closing.count == 0 && closing.value == 0 ? null : (double) closing.value);
                        assertThat(number(one.point("active_deals", dim, rep, g.id(), period))).as("active_deals %s %s", rep, period)
                                .isEqualTo(closing.count == 0 ? null : (double) closing.count);
                        closing.byStage.forEach((stage, l) -> {
                            assertThat(value.get("byStage").get(stage).get("count").asLong()).isEqualTo(l.count);
                            assertThat(value.get("byStage").get(stage).get("value").asDouble()).isEqualTo((double) l.value);
                        });
                        assertThat(value.get("byStage").size()).isEqualTo(closing.byStage.size());
                        JsonNode flow = one.point("pipeline_flow", dim, rep, g.id(), period);
                        Map<String, long[]> parts = ref.flow(start, end, rep);
                        parts.put("opening", ref.levelBefore(start, rep).asPart());
                        parts.put("closing", closing.asPart());
                        parts.forEach((part, cv) -> {
                            assertThat(flow.get(part).get("count").asLong()).as("%s count %s %s", part, rep, period).isEqualTo(cv[0]);
                            assertThat(flow.get(part).get("value").asDouble()).as("%s value %s %s", part, rep, period).isEqualTo((double) cv[1]);
                        });
                        PipelineOverTimeTest.assertIdentity(flow);
                    }
                }
            }
        }
    }

    private static Double number(JsonNode point) {
        return point.hasNonNull("value") ? point.get("value").asDouble() : null;
    }

    /** Deals with random histories over September to November; instants on a 6-hour grid, so some coincide. */
    static List<Ev> history(Random r, int deals) {
        List<Ev> out = new ArrayList<>();
        for (int d = 0; d < deals; d++) {
            String id = "D" + d;
            Instant created = instant(r, FIRST, LAST.minusDays(1));
            out.add(ev(id + "-c", "DealCreated", created, id, Map.of("repId", pick(r, REPS), "stage", pick(r, STAGES),
                    "amount", String.valueOf(100 * (1 + r.nextInt(50))))));
            int n = r.nextInt(8);
            for (int i = 0; i < n; i++) {
                // mostly after the creation, sometimes up to two days before it
                Instant at = created.plus(Duration.ofHours(6L * (r.nextInt(60) - 8)));
                if (at.isAfter(LAST.atStartOfDay().toInstant(ZoneOffset.UTC))) {
                    at = LAST.minusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
                }
                String eid = id + "-" + i;
                switch (r.nextInt(6)) {
                    case 0 -> out.add(ev(eid, "DealUpdated", at, id, Map.of("amount", String.valueOf(100 * (1 + r.nextInt(50))))));
                    case 1 -> out.add(ev(eid, "DealUpdated", at, id, Map.of("repId", pick(r, REPS))));
                    case 2 -> out.add(ev(eid, "DealStageChanged", at, id, Map.of("toStage", pick(r, STAGES))));
                    case 3 -> out.add(ev(eid, "DealClosed", at, id, r.nextBoolean()
                            ? Map.of("outcome", r.nextBoolean() ? "WON" : "LOST")
                            : Map.of("outcome", r.nextBoolean() ? "WON" : "LOST", "amount", String.valueOf(100 * (1 + r.nextInt(50))))));
                    case 4 -> out.add(ev(eid, "DealReopened", at, id, Map.of("stage", pick(r, STAGES))));
                    default -> out.add(ev(eid, "DealClosed", at, id, Map.of("outcome", "WON")));
                }
            }
        }
        return out;
    }

    private static Instant instant(Random r, LocalDate from, LocalDate to) {
        long days = to.toEpochDay() - from.toEpochDay();
        return from.atStartOfDay().toInstant(ZoneOffset.UTC).plus(Duration.ofHours(6L * r.nextInt((int) days * 4)));
    }

    private static String pick(Random r, String[] of) {
        return of[r.nextInt(of.length)];
    }

    private static Ev ev(String id, String type, Instant at, String dealId, Map<String, String> fields) {
        StringBuilder json = new StringBuilder("\"dealId\":\"" + dealId + "\"");
        new TreeMap<>(fields).forEach((k, v) -> json.append(",\"").append(k).append("\":\"").append(v).append('"'));
        return new Ev(id, type, at, dealId, EngineHarness.event(id, type, at.toString(), json.toString()), fields);
    }

    /** Open deals and their amount, in all and by stage. */
    static final class Level {
        long count, value;
        final Map<String, Level> byStage = new TreeMap<>();

        long[] asPart() {
            return new long[] {count, value};
        }
    }

    /** The catalogue's definitions computed the slow way: each deal folded from scratch at every instant asked. */
    static final class Reference {
        private static final Map<String, Integer> RANK = Map.of("DealCreated", 0, "DealUpdated", 1, "DealStageChanged", 5,
                "DealClosed", 6, "DealReopened", 7);
        private final Map<String, List<Ev>> byDeal = new TreeMap<>();

        Reference(List<Ev> events) {
            for (Ev e : events) {
                byDeal.computeIfAbsent(e.dealId(), x -> new ArrayList<>()).add(e);
            }
            byDeal.values().forEach(list -> list.sort(Comparator.comparing(Ev::at)
                    .thenComparing(e -> RANK.get(e.type())).thenComparing(Ev::id)));
        }

        /** A deal at an instant: null when not created; else open (outcome null) or not, with stage and amount. */
        record State(String outcome, String stage, long amount) {
            boolean open() {
                return outcome == null;
            }
        }

        /** The deal folded from its events up to {@code t} ({@code inclusive}: at t too): its creation, then the others in order. */
        static State at(List<Ev> events, Instant t, boolean inclusive) {
            List<Ev> upTo = events.stream().filter(e -> inclusive ? !e.at().isAfter(t) : e.at().isBefore(t)).toList();
            Ev created = upTo.stream().filter(e -> e.type().equals("DealCreated")).findFirst().orElse(null);
            if (created == null) {
                return null;
            }
            String outcome = null, stage = created.fields().get("stage");
            long amount = Long.parseLong(created.fields().get("amount"));
            for (Ev e : upTo) {
                if (e == created) {
                    continue;
                }
                Map<String, String> f = e.fields();
                switch (e.type()) {
                    case "DealUpdated" -> amount = f.containsKey("amount") ? Long.parseLong(f.get("amount")) : amount;
                    case "DealStageChanged" -> stage = f.get("toStage");
                    case "DealClosed" -> {
                        outcome = f.get("outcome");
                        amount = f.containsKey("amount") ? Long.parseLong(f.get("amount")) : amount;
                    }
                    case "DealReopened" -> {
                        outcome = null;
                        stage = f.get("stage");
                    }
                    default -> {
                    }
                }
            }
            return new State(outcome, stage, amount);
        }

        /**
         * The deal's latest rep: its dimension key for all of its history. As in every deal KPI, the creation is the
         * base that the deal's other events apply to in order, those dated before it included.
         */
        static String rep(List<Ev> events) {
            Ev created = events.stream().filter(e -> e.type().equals("DealCreated")).findFirst().orElseThrow();
            String rep = created.fields().get("repId");
            for (Ev e : events) {
                if (e != created && e.fields().containsKey("repId")) {
                    rep = e.fields().get("repId");
                }
            }
            return rep;
        }

        /** The open pipeline after every change before the start of {@code day}, of one rep ("" all). */
        Level levelBefore(LocalDate day, String rep) {
            Instant t = day.atStartOfDay().toInstant(ZoneOffset.UTC);
            Level level = new Level();
            byDeal.values().forEach(events -> {
                State s = at(events, t, false);
                if (s != null && s.open() && (rep.isEmpty() || rep.equals(rep(events)))) {
                    level.count++;
                    level.value += s.amount();
                    Level stage = level.byStage.computeIfAbsent(s.stage(), x -> new Level());
                    stage.count++;
                    stage.value += s.amount();
                }
            });
            return level;
        }

        /** The waterfall's parts for changes in [from, to), each {count, value}. */
        Map<String, long[]> flow(LocalDate from, LocalDate to, String rep) {
            Map<String, long[]> parts = new HashMap<>();
            for (String p : List.of("created", "increased", "decreased", "won", "lost", "reopened")) {
                parts.put(p, new long[2]);
            }
            Instant start = from.atStartOfDay().toInstant(ZoneOffset.UTC), end = to.atStartOfDay().toInstant(ZoneOffset.UTC);
            byDeal.values().forEach(events -> {
                if (!rep.isEmpty() && !rep.equals(rep(events))) {
                    return;
                }
                events.stream().map(Ev::at).distinct().filter(t -> !t.isBefore(start) && t.isBefore(end)).forEach(t -> {
                    State before = at(events, t, false), now = at(events, t, true);
                    boolean wasOpen = before != null && before.open();
                    if (now == null || (!wasOpen && !now.open())) {
                        return;
                    }
                    if (!wasOpen) {
                        add(parts, before == null ? "created" : "reopened", now.amount());
                        return;
                    }
                    long change = now.amount() - before.amount();
                    if (change != 0) {
                        add(parts, change > 0 ? "increased" : "decreased", Math.abs(change));
                    }
                    if (!now.open()) {
                        add(parts, now.outcome().equals("WON") ? "won" : "lost", now.amount());
                    }
                });
            });
            return parts;
        }

        private static void add(Map<String, long[]> parts, String part, long value) {
            parts.get(part)[0]++;
            parts.get(part)[1] += value;
        }
    }
}
