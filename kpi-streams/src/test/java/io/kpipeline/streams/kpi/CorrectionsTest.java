package io.kpipeline.streams.kpi;

import io.kpipeline.streams.EngineHarness;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** KPI definitions under corrections: each expected value is worked out by hand in the comment above it. */
class CorrectionsTest {
    static String ev(String id, String type, String at, String fields) {
        return EngineHarness.event(id, type, at, fields);
    }

    static final String LEAD = ev("l1", "LeadCreated", "2026-11-02T09:00:00Z", "\"leadId\":\"L-1\",\"repId\":\"R-1\",\"teamId\":\"T-1\",\"source\":\"referral\"");
    static final String DEAL = ev("d1", "DealCreated", "2026-11-03T10:00:00Z", "\"dealId\":\"D-1\",\"leadId\":\"L-1\",\"stage\":\"discovery\",\"amount\":\"1000.00\",\"product\":\"p1\"");
    static final String WON = ev("d2", "DealClosed", "2026-11-10T10:00:00Z", "\"dealId\":\"D-1\",\"outcome\":\"WON\"");

    @Test
    void reopenedWinIsRetractedEverywhere() {
        try (EngineHarness h = new EngineHarness()) {
            h.send(LEAD, DEAL, WON, ev("d3", "DealReopened", "2026-11-12T10:00:00Z", "\"dealId\":\"D-1\",\"stage\":\"negotiation\""));
            // the only win was reopened: no revenue in any period or dimension, and the deal is open again
            assertThat(h.value("revenue", "company", null, "month", "2026-11")).isNull();
            assertThat(h.value("revenue", "rep", "R-1", "year", "2026")).isNull();
            assertThat(h.value("win_rate", "company", null, "month", "2026-11")).isNull();
            assertThat(h.value("active_deals", "company", null, "current", null)).isEqualTo(1.0);
            assertThat(h.point("pipeline_value", "company", null, "current", null).get("byStage").has("negotiation")).isTrue();
            // discovery 3 Nov 10:00 → closed 10 Nov 10:00 = 7 days in stage; the exit still happened
            assertThat(h.value("stage_duration", "company", null, "month", "2026-11")).isEqualTo(7 * 86400.0);
        }
    }

    @Test
    void reassignedLeadMovesItsCountsAndItsDealsKeys() {
        try (EngineHarness h = new EngineHarness()) {
            h.send(LEAD, DEAL, WON);
            assertThat(h.value("revenue", "rep", "R-1", "month", "2026-11")).isEqualTo(1000.0);
            // reassigned later: the lead moves entirely to R-2, and the deal (no rep of its own) takes its lead's rep
            h.send(ev("a1", "LeadAssigned", "2026-11-20T09:00:00Z", "\"leadId\":\"L-1\",\"repId\":\"R-2\""));
            assertThat(h.value("leads_created", "rep", "R-1", "month", "2026-11")).isNull();
            assertThat(h.value("leads_created", "rep", "R-2", "month", "2026-11")).isEqualTo(1.0);
            assertThat(h.value("revenue", "rep", "R-1", "month", "2026-11")).isNull();
            assertThat(h.value("revenue", "rep", "R-2", "month", "2026-11")).isEqualTo(1000.0);
        }
    }

    @Test
    void editedAmountAndFinalAmountReplaceTheEarlierOne() {
        try (EngineHarness h = new EngineHarness()) {
            h.send(LEAD, DEAL, ev("u1", "DealUpdated", "2026-11-05T10:00:00Z", "\"dealId\":\"D-1\",\"amount\":\"1500.00\""));
            assertThat(h.value("pipeline_value", "company", null, "current", null)).isEqualTo(1500.0);
            // the close names a final amount of 1800: revenue is 1800, nothing stays in the pipeline
            h.send(ev("c1", "DealClosed", "2026-11-10T10:00:00Z", "\"dealId\":\"D-1\",\"outcome\":\"WON\",\"amount\":\"1800.00\""));
            assertThat(h.value("revenue", "product", "p1", "month", "2026-11")).isEqualTo(1800.0);
            assertThat(h.value("pipeline_value", "company", null, "current", null)).isNull();
        }
    }

    @Test
    void lateEventsAreInsertedWhereTheyBelongAndDuplicatesChangeNothing() {
        try (EngineHarness h = new EngineHarness()) {
            // the close arrives before the deal exists: it waits, then applies
            h.send(WON, DEAL, LEAD, WON, DEAL);
            assertThat(h.value("revenue", "team", "T-1", "month", "2026-11")).isEqualTo(1000.0);
            assertThat(h.value("new_opportunities", "company", null, "day", "2026-11-03")).isEqualTo(1.0);
            assertThat(h.counters.duplicates()).isEqualTo(2);
        }
    }

    @Test
    void eventsOlderThanTheHorizonGoToTheDeadLetterTopic() {
        try (EngineHarness h = new EngineHarness()) {
            h.send(LEAD, ev("old", "LeadCreated", "2025-01-01T00:00:00Z", "\"leadId\":\"L-old\""));
            // 2025-01-01 is 670 days before stream time 2026-11-02, beyond the 400-day horizon
            assertThat(h.value("leads_created", "company", null, "year", "2025")).isNull();
            assertThat(h.deadLetters()).singleElement().satisfies(d -> assertThat(d.getReasonCode()).isEqualTo("TOO_LATE"));
        }
    }
}
