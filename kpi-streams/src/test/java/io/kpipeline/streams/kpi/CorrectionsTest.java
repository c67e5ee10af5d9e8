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

    @Test
    void funnelRatiosAndTouchpointKpis() {
        try (EngineHarness h = new EngineHarness()) {
            h.send(LEAD,
                    ev("l2", "LeadCreated", "2026-11-02T10:00:00Z", "\"leadId\":\"L-2\",\"repId\":\"R-1\",\"source\":\"referral\""),
                    // L-1: outbound call at +10 min (SLA missed), then an email follow-up, then a booked meeting
                    ev("t1", "TouchpointLogged", "2026-11-02T09:10:00Z", "\"touchpointId\":\"tp1\",\"leadId\":\"L-1\",\"channel\":\"CALL\",\"outcome\":\"NEGATIVE\""),
                    ev("t2", "TouchpointLogged", "2026-11-02T11:00:00Z", "\"touchpointId\":\"tp2\",\"leadId\":\"L-1\",\"channel\":\"EMAIL\",\"outcome\":\"POSITIVE\""),
                    ev("t3", "TouchpointLogged", "2026-11-03T09:00:00Z", "\"touchpointId\":\"tp3\",\"leadId\":\"L-1\",\"channel\":\"VIDEO_CALL\",\"outcome\":\"MEETING_BOOKED\""),
                    // L-2: contacted at +1 min (within SLA), one declined meeting
                    ev("t4", "TouchpointLogged", "2026-11-02T10:01:00Z", "\"touchpointId\":\"tp4\",\"leadId\":\"L-2\",\"channel\":\"CALL\",\"outcome\":\"MEETING_DECLINED\""),
                    ev("t4b", "TouchpointLogged", "2026-11-02T10:01:00Z", "\"touchpointId\":\"tp4\",\"leadId\":\"L-2\",\"channel\":\"CALL\",\"outcome\":\"MEETING_DECLINED\""));
            // response times 600 s and 60 s: mean 330 s; 1 of 2 leads within the 5-minute SLA
            var rt = h.point("lead_response_time", "company", null, "month", "2026-11");
            assertThat(rt.get("value").asDouble()).isEqualTo(330.0);
            assertThat(rt.get("withinSla").get("value").asDouble()).isEqualTo(0.5);
            // L-1 has further outbound touchpoints, L-2 does not (tp4 logged twice is one touchpoint): 1 / 2
            assertThat(h.value("lead_follow_up_rate", "rep", "R-1", "month", "2026-11")).isEqualTo(0.5);
            // 4 distinct touchpoints, 2 of them calls
            var tc = h.point("touchpoints_count", "company", null, "month", "2026-11");
            assertThat(tc.get("value").asLong()).isEqualTo(4);
            assertThat(tc.get("byChannel").get("CALL").asLong()).isEqualTo(2);
            // 1 booked / (1 booked + 1 declined)
            assertThat(h.value("meeting_acceptance_rate", "company", null, "month", "2026-11")).isEqualTo(0.5);
            // 1 positive / (1 positive + 1 negative)
            assertThat(h.value("response_sentiment", "company", null, "month", "2026-11")).isEqualTo(0.5);
            // L-1's first meeting is its 3rd touchpoint
            assertThat(h.value("touchpoints_to_first_meeting", "company", null, "month", "2026-11")).isEqualTo(3.0);
            // no lead converted yet: 0 / 2
            assertThat(h.value("lead_to_opportunity_ratio", "source", "referral", "month", "2026-11")).isEqualTo(0.0);
        }
    }

    @Test
    void leadVelocityAndCostPerLead() {
        try (EngineHarness h = new EngineHarness()) {
            h.send(LEAD, ev("q1", "LeadQualified", "2026-10-05T09:00:00Z", "\"leadId\":\"L-1\",\"level\":\"SQL\""),
                    ev("l2", "LeadCreated", "2026-11-02T10:00:00Z", "\"leadId\":\"L-2\",\"source\":\"referral\""),
                    ev("l3", "LeadCreated", "2026-11-02T10:00:00Z", "\"leadId\":\"L-3\",\"source\":\"referral\""),
                    ev("q2", "LeadQualified", "2026-11-05T09:00:00Z", "\"leadId\":\"L-2\",\"level\":\"SQL\""),
                    ev("q3", "LeadQualified", "2026-11-06T09:00:00Z", "\"leadId\":\"L-3\",\"level\":\"SQL\""),
                    ev("s1", "SpendRecorded", "2026-11-01T00:00:00Z", "\"spendId\":\"S-1\",\"category\":\"MARKETING\",\"amount\":\"300.00\",\"periodStart\":\"2026-11-01\",\"periodEnd\":\"2026-11-30\",\"channel\":\"referral\""));
            // SQLs: October 1, November 2 → (2 − 1) / 1 = 1.0
            assertThat(h.value("lead_velocity_rate", "company", null, "month", "2026-11")).isEqualTo(1.0);
            // 300.00 over 30 days = 10.00 a day; November has 3 referral leads → 100.00 per lead
            assertThat(h.value("cost_per_lead", "source", "referral", "month", "2026-11")).isEqualTo(100.0);
            // one week of it (2–8 Nov, W45) is 70.00 over 3 leads
            assertThat(h.value("cost_per_lead", "source", "referral", "week", "2026-W45")).isCloseTo(23.333, org.assertj.core.data.Offset.offset(0.001));
        }
    }
}
