package io.kpipeline.streams.kpi;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpipeline.streams.EngineHarness;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.kpipeline.streams.kpi.CorrectionsTest.ev;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pipeline over time: {@code pipeline_value} and {@code active_deals} at the end of periods and the waterfall of
 * {@code pipeline_flow}, each expected value worked out by hand in the comment above it. The harness's today is
 * 2026-11-22, so November and Q4 have not ended: their end is now.
 */
class PipelineOverTimeTest {
    static String deal(String id, String at, String rep, String amount) {
        return ev("c-" + id, "DealCreated", at, "\"dealId\":\"" + id + "\",\"repId\":\"" + rep + "\",\"stage\":\"s1\",\"amount\":\"" + amount + "\"");
    }

    static String amount(String eventId, String id, String at, String amount) {
        return ev(eventId, "DealUpdated", at, "\"dealId\":\"" + id + "\",\"amount\":\"" + amount + "\"");
    }

    static String close(String eventId, String id, String at, String outcome, String amount) {
        return ev(eventId, "DealClosed", at, "\"dealId\":\"" + id + "\",\"outcome\":\"" + outcome + "\""
                + (amount == null ? "" : ",\"amount\":\"" + amount + "\""));
    }

    static String reopen(String eventId, String id, String at, String stage) {
        return ev(eventId, "DealReopened", at, "\"dealId\":\"" + id + "\",\"stage\":\"" + stage + "\"");
    }

    /**
     * D1: created 10 Sep at 1000; raised to 1500 on 8 Oct; won on 20 Oct with the amount 1600; reopened in
     * stage s2 on 3 Nov. D2: created 5 Oct at 500, cut to 300 on 12 Oct, still open. D3: created 2 Oct at
     * 200, lost 25 Oct. D4: created and won at the same instant on 15 Oct, so never open.
     */
    static final List<String> HISTORY = List.of(
            deal("D1", "2026-09-10T09:00:00Z", "R-1", "1000"),
            deal("D2", "2026-10-05T09:00:00Z", "R-2", "500"),
            deal("D3", "2026-10-02T09:00:00Z", "R-2", "200"),
            amount("u1", "D1", "2026-10-08T09:00:00Z", "1500"),
            amount("u2", "D2", "2026-10-12T09:00:00Z", "300"),
            deal("D4", "2026-10-15T09:00:00Z", "R-1", "900"),
            close("w4", "D4", "2026-10-15T09:00:00Z", "WON", null),
            close("w1", "D1", "2026-10-20T09:00:00Z", "WON", "1600"),
            close("l3", "D3", "2026-10-25T09:00:00Z", "LOST", null),
            reopen("r1", "D1", "2026-11-03T09:00:00Z", "s2"));

    static void assertPart(JsonNode point, String part, long count, double value) {
        assertThat(point.get(part).get("count").asLong()).as(part + " count").isEqualTo(count);
        assertThat(point.get(part).get("value").asDouble()).as(part + " value").isEqualTo(value);
    }

    /** opening + created + increased - decreased - won - lost + reopened = closing, in value and (without the amount parts) in count. */
    static void assertIdentity(JsonNode p) {
        double value = p.get("opening").get("value").asDouble() + p.get("created").get("value").asDouble()
                + p.get("increased").get("value").asDouble() - p.get("decreased").get("value").asDouble()
                - p.get("won").get("value").asDouble() - p.get("lost").get("value").asDouble() + p.get("reopened").get("value").asDouble();
        assertThat(value).isEqualTo(p.get("closing").get("value").asDouble());
        long count = p.get("opening").get("count").asLong() + p.get("created").get("count").asLong() - p.get("won").get("count").asLong()
                - p.get("lost").get("count").asLong() + p.get("reopened").get("count").asLong();
        assertThat(count).isEqualTo(p.get("closing").get("count").asLong());
    }

    @Test
    void pipelineFlowWaterfallInOnePeriodAndAcrossPeriods() {
        try (EngineHarness h = new EngineHarness()) {
            h.send(HISTORY);
            // September: nothing open before; D1 created at 1000 and still open at the month's end
            var sep = h.point("pipeline_flow", "company", null, "month", "2026-09");
            assertPart(sep, "opening", 0, 0);
            assertPart(sep, "created", 1, 1000);
            assertPart(sep, "closing", 1, 1000);
            assertThat(sep.get("value").asDouble()).isEqualTo(1000.0);
            // October opens with D1 at 1000. Created: D3 200 + D2 500 (D4 was never open) = 2, 700. Increased: D1 +500
            // on the 8th and +100 when its close carried 1600 = 2, 600. Decreased: D2 -200 = 1, 200. Won: D1 at 1600.
            // Lost: D3 at 200. Closing: D2 at 300. 1000 + 700 + 600 - 200 - 1600 - 200 = 300; value 300 - 1000 = -700.
            var oct = h.point("pipeline_flow", "company", null, "month", "2026-10");
            assertPart(oct, "opening", 1, 1000);
            assertPart(oct, "created", 2, 700);
            assertPart(oct, "increased", 2, 600);
            assertPart(oct, "decreased", 1, 200);
            assertPart(oct, "won", 1, 1600);
            assertPart(oct, "lost", 1, 200);
            assertPart(oct, "reopened", 0, 0);
            assertPart(oct, "closing", 1, 300);
            assertThat(oct.get("value").asDouble()).isEqualTo(-700.0);
            assertIdentity(oct);
            // November (not ended: its end is now): opens at D2's 300; D1 reopened at its last amount 1600 → 1900
            var nov = h.point("pipeline_flow", "company", null, "month", "2026-11");
            assertPart(nov, "opening", 1, 300);
            assertPart(nov, "reopened", 1, 1600);
            assertPart(nov, "closing", 2, 1900);
            assertThat(nov.get("value").asDouble()).isEqualTo(1600.0);
            assertIdentity(nov);
            // Q4 spans both: opening is Q3's closing (D1 at 1000), closing now; the parts are October's and November's
            var q4 = h.point("pipeline_flow", "company", null, "quarter", "2026-Q4");
            assertPart(q4, "opening", 1, 1000);
            assertPart(q4, "created", 2, 700);
            assertPart(q4, "won", 1, 1600);
            assertPart(q4, "reopened", 1, 1600);
            assertPart(q4, "closing", 2, 1900);
            assertIdentity(q4);
            // by rep, R-2's October: D2 and D3 created (700), D2 cut by 200, D3 lost at 200, D2 left at 300
            var r2 = h.point("pipeline_flow", "rep", "R-2", "month", "2026-10");
            assertPart(r2, "opening", 0, 0);
            assertPart(r2, "created", 2, 700);
            assertPart(r2, "decreased", 1, 200);
            assertPart(r2, "lost", 1, 200);
            assertPart(r2, "closing", 1, 300);
            assertThat(r2.get("value").asDouble()).isEqualTo(300.0);
            // a month with nothing open before, in or after: no value
            assertThat(h.value("pipeline_flow", "company", null, "month", "2026-08")).isNull();
        }
    }

    @Test
    void pipelineValueAndActiveDealsAtTheEndOfEachPeriod() {
        try (EngineHarness h = new EngineHarness()) {
            h.send(HISTORY);
            // end of 19 Oct: D1 1500 + D2 300 + D3 200 = 2000, three deals in s1
            assertThat(h.value("pipeline_value", "company", null, "day", "2026-10-19")).isEqualTo(2000.0);
            assertThat(h.value("active_deals", "company", null, "day", "2026-10-19")).isEqualTo(3.0);
            // end of 20 Oct: D1 won → 300 + 200 = 500
            assertThat(h.value("pipeline_value", "company", null, "day", "2026-10-20")).isEqualTo(500.0);
            // end of week 2026-W42 (Sunday 18 Oct): as on the 19th, 2000
            assertThat(h.value("pipeline_value", "company", null, "week", "2026-W42")).isEqualTo(2000.0);
            // end of October: D2 alone, 300 in s1
            var oct = h.point("pipeline_value", "company", null, "month", "2026-10");
            assertThat(oct.get("value").asDouble()).isEqualTo(300.0);
            assertThat(oct.get("byStage").get("s1").get("count").asLong()).isEqualTo(1);
            assertThat(oct.get("byStage").has("s2")).isFalse();
            // November, now: D2 300 in s1, D1 1600 in s2; the same as the current pipeline
            var nov = h.point("pipeline_value", "company", null, "month", "2026-11");
            assertThat(nov.get("value").asDouble()).isEqualTo(1900.0);
            assertThat(nov.get("byStage").get("s2").get("value").asDouble()).isEqualTo(1600.0);
            assertThat(h.value("pipeline_value", "company", null, "current", null)).isEqualTo(1900.0);
            // end of Q3: D1 alone
            assertThat(h.value("active_deals", "company", null, "quarter", "2026-Q3")).isEqualTo(1.0);
            // R-1 at the end of September: D1 at 1000 (D4 was never open)
            assertThat(h.value("pipeline_value", "rep", "R-1", "month", "2026-09")).isEqualTo(1000.0);
            // before the first deal: nothing open, no value
            assertThat(h.value("active_deals", "company", null, "day", "2026-09-09")).isNull();
        }
    }

    @Test
    void lateAndCorrectedEventsMoveThePastPipeline() {
        try (EngineHarness h = new EngineHarness()) {
            h.send(deal("D5", "2026-10-01T09:00:00Z", "R-1", "1000"));
            assertThat(h.value("pipeline_value", "company", null, "month", "2026-10")).isEqualTo(1000.0);
            // the win of 15 Oct arrives late: October now ends with nothing open, and its waterfall shows the win
            h.send(close("w5", "D5", "2026-10-15T09:00:00Z", "WON", null));
            assertThat(h.value("pipeline_value", "company", null, "month", "2026-10")).isNull();
            assertPart(h.point("pipeline_flow", "company", null, "month", "2026-10"), "won", 1, 1000);
            // an amount edit to the closed deal touches no pipeline; the reopening on 2 Nov puts it back at 1200
            h.send(amount("u5", "D5", "2026-10-20T09:00:00Z", "1200"), reopen("r5", "D5", "2026-11-02T09:00:00Z", "s1"));
            var oct = h.point("pipeline_flow", "company", null, "month", "2026-10");
            assertPart(oct, "increased", 0, 0);
            assertPart(oct, "closing", 0, 0);
            var nov = h.point("pipeline_flow", "company", null, "month", "2026-11");
            assertPart(nov, "reopened", 1, 1200);
            assertPart(nov, "closing", 1, 1200);
            // the close delivered again and the creation re-sent: nothing moves
            h.send(close("w5", "D5", "2026-10-15T09:00:00Z", "WON", null), deal("D5", "2026-10-01T09:00:00Z", "R-1", "1000"));
            assertThat(h.point("pipeline_flow", "company", null, "month", "2026-11")).isEqualTo(nov);
            // reassigned to R-2: the whole history moves with the deal's latest rep
            h.send(ev("a5", "DealUpdated", "2026-11-10T09:00:00Z", "\"dealId\":\"D5\",\"repId\":\"R-2\""));
            assertThat(h.value("pipeline_value", "rep", "R-1", "day", "2026-10-05")).isNull();
            assertThat(h.value("pipeline_value", "rep", "R-2", "day", "2026-10-05")).isEqualTo(1000.0);
        }
    }

    @Test
    void pipelineCoverageAgainstThePeriodsTargetAndRankingOfKeysWithoutChanges() {
        try (EngineHarness h = new EngineHarness()) {
            h.send(HISTORY);
            h.send(ev("g1", "TargetSet", "2026-10-01T00:00:00Z",
                    "\"targetId\":\"G-1\",\"period\":\"2026-10\",\"metric\":\"pipeline_value\",\"value\":\"1200\""));
            // October ends at 300 against a target of 1200: coverage 0.25
            var oct = h.point("pipeline_value", "company", null, "month", "2026-10");
            assertThat(oct.get("coverage").get("value").asDouble()).isEqualTo(0.25);
            // target attainment of October measures the pipeline at its end too: 300 / 1200
            assertThat(h.point("target_attainment", "company", null, "month", "2026-10").get("byMetric")
                    .get("pipeline_value").get("value").asDouble()).isEqualTo(0.25);
            // December has no change of R-1's or R-2's pipeline, yet both hold open deals at its end (now):
            // R-1 D1 1600, R-2 D2 300, best first
            var ranking = h.query().ranking("pipeline_value", "rep", "month", "2026-12", null);
            assertThat(ranking.get("entries")).hasSize(2);
            assertThat(ranking.get("entries").get(0).get("key").asText()).isEqualTo("R-1");
            assertThat(ranking.get("entries").get(0).get("value").asDouble()).isEqualTo(1600.0);
            assertThat(ranking.get("entries").get(1).get("value").asDouble()).isEqualTo(300.0);
        }
    }

    @Test
    void aYearOfDailyHistoryOfAKeyDoesNotMakeAnEventCostMore() {
        try (EngineHarness h = new EngineHarness()) {
            // R-1 has a year of daily pipeline history: a deal created every day, each raised the day after
            java.time.LocalDate first = java.time.LocalDate.of(2025, 11, 1);
            for (int i = 0; i < 365; i++) {
                String day = first.plusDays(i) + "T09:00:00Z", next = first.plusDays(i + 1) + "T09:00:00Z";
                h.send(deal("Y" + i, day, "R-1", "1000"), amount("y" + i, "Y" + i, next, "1100"));
            }
            h.send(deal("A", "2026-11-01T09:00:00Z", "R-1", "500"), deal("B", "2026-11-01T09:00:00Z", "R-9", "500"));
            // the same change to a deal of R-1 and to one of R-9, who has no history: the same deltas leave the
            // entity stage, byte for byte (the deal's own level and waterfall cells, never the key's history)
            long before = h.counters.deltaBytes();
            h.send(amount("a1", "A", "2026-11-05T09:00:00Z", "700"));
            long withHistory = h.counters.deltaBytes() - before;
            before = h.counters.deltaBytes();
            h.send(amount("b1", "B", "2026-11-05T09:00:00Z", "700"));
            long fresh = h.counters.deltaBytes() - before;
            assertThat(withHistory).isPositive().isEqualTo(fresh);
            // and the history is there: R-1 ends October with 365 open deals at 1100 (the last raised on 1 Nov)
            assertThat(h.value("pipeline_value", "rep", "R-1", "month", "2026-10")).isEqualTo(364 * 1100.0 + 1000);
        }
    }
}
