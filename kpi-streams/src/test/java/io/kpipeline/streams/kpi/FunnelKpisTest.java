package io.kpipeline.streams.kpi;

import io.kpipeline.streams.EngineHarness;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.kpipeline.streams.kpi.CorrectionsTest.LEAD;
import static io.kpipeline.streams.kpi.CorrectionsTest.ev;
import static org.assertj.core.api.Assertions.assertThat;

/** The lead and funnel KPIs, a test each, every expected value worked out in the comment above it. */
class FunnelKpisTest {
    /** Two leads of rep R-1 on 2 Nov and what their reps did with them. */
    static final List<String> TOUCHES = List.of(LEAD,
            ev("l2", "LeadCreated", "2026-11-02T10:00:00Z", "\"leadId\":\"L-2\",\"repId\":\"R-1\",\"source\":\"referral\""),
            // L-1: outbound call at +10 min (SLA missed), then an email follow-up, then a booked meeting
            ev("t1", "TouchpointLogged", "2026-11-02T09:10:00Z", "\"touchpointId\":\"tp1\",\"leadId\":\"L-1\",\"channel\":\"CALL\",\"outcome\":\"NEGATIVE\""),
            ev("t2", "TouchpointLogged", "2026-11-02T11:00:00Z", "\"touchpointId\":\"tp2\",\"leadId\":\"L-1\",\"channel\":\"EMAIL\",\"outcome\":\"POSITIVE\""),
            ev("t3", "TouchpointLogged", "2026-11-03T09:00:00Z", "\"touchpointId\":\"tp3\",\"leadId\":\"L-1\",\"channel\":\"VIDEO_CALL\",\"outcome\":\"MEETING_BOOKED\""),
            // L-2: contacted at +1 min (within SLA), one declined meeting
            ev("t4", "TouchpointLogged", "2026-11-02T10:01:00Z", "\"touchpointId\":\"tp4\",\"leadId\":\"L-2\",\"channel\":\"CALL\",\"outcome\":\"MEETING_DECLINED\""),
            ev("t4b", "TouchpointLogged", "2026-11-02T10:01:00Z", "\"touchpointId\":\"tp4\",\"leadId\":\"L-2\",\"channel\":\"CALL\",\"outcome\":\"MEETING_DECLINED\""));

    /** One SQL in October, two in November, and November's referral spend. */
    static final List<String> QUALIFIED = List.of(LEAD,
            ev("q1", "LeadQualified", "2026-10-05T09:00:00Z", "\"leadId\":\"L-1\",\"level\":\"SQL\""),
            ev("l2", "LeadCreated", "2026-11-02T10:00:00Z", "\"leadId\":\"L-2\",\"source\":\"referral\""),
            ev("l3", "LeadCreated", "2026-11-02T10:00:00Z", "\"leadId\":\"L-3\",\"source\":\"referral\""),
            ev("q2", "LeadQualified", "2026-11-05T09:00:00Z", "\"leadId\":\"L-2\",\"level\":\"SQL\""),
            ev("q3", "LeadQualified", "2026-11-06T09:00:00Z", "\"leadId\":\"L-3\",\"level\":\"SQL\""),
            ev("s1", "SpendRecorded", "2026-11-01T00:00:00Z", "\"spendId\":\"S-1\",\"category\":\"MARKETING\",\"amount\":\"300.00\",\"periodStart\":\"2026-11-01\",\"periodEnd\":\"2026-11-30\",\"channel\":\"referral\""));

    @Test
    void leadsCreatedCountsLeadsByTheirCreationDay() {
        try (EngineHarness h = new EngineHarness().send(QUALIFIED)) {
            // L-1, L-2 and L-3 were created on 2 Nov (L-1's qualification in October does not move it): 3 in November
            assertThat(h.value("leads_created", "company", null, "month", "2026-11")).isEqualTo(3.0);
            // all three came from referral, on the 2nd
            assertThat(h.value("leads_created", "source", "referral", "day", "2026-11-02")).isEqualTo(3.0);
            assertThat(h.value("leads_created", "company", null, "month", "2026-10")).isNull();
        }
    }

    @Test
    void sqlCountCountsLeadsByTheDayTheyReachedSql() {
        try (EngineHarness h = new EngineHarness().send(QUALIFIED)) {
            // L-1 reached SQL on 5 Oct; L-2 and L-3 on 5 and 6 Nov
            assertThat(h.value("sql_count", "company", null, "month", "2026-10")).isEqualTo(1.0);
            assertThat(h.value("sql_count", "company", null, "month", "2026-11")).isEqualTo(2.0);
        }
    }

    @Test
    void leadVelocityRateComparesTheSqlsOfAMonthWithTheMonthBefore() {
        try (EngineHarness h = new EngineHarness().send(QUALIFIED)) {
            // SQLs: October 1, November 2 → (2 − 1) / 1 = 1.0
            assertThat(h.value("lead_velocity_rate", "company", null, "month", "2026-11")).isEqualTo(1.0);
        }
    }

    @Test
    void costPerLeadSpreadsTheSpendOverItsDays() {
        try (EngineHarness h = new EngineHarness().send(QUALIFIED)) {
            // 300.00 over 30 days = 10.00 a day; November has 3 referral leads → 100.00 per lead
            assertThat(h.value("cost_per_lead", "source", "referral", "month", "2026-11")).isEqualTo(100.0);
            // one week of it (2–8 Nov, W45) is 70.00 over 3 leads
            assertThat(h.value("cost_per_lead", "source", "referral", "week", "2026-W45")).isCloseTo(23.333, org.assertj.core.data.Offset.offset(0.001));
        }
    }

    @Test
    void leadResponseTimeRunsToTheFirstOutboundTouchpointAndCountsThoseWithinSla() {
        try (EngineHarness h = new EngineHarness().send(TOUCHES)) {
            // response times 600 s and 60 s: mean 330 s; 1 of 2 leads within the 5-minute SLA
            var rt = h.point("lead_response_time", "company", null, "month", "2026-11");
            assertThat(rt.get("value").asDouble()).isEqualTo(330.0);
            assertThat(rt.get("withinSla").get("value").asDouble()).isEqualTo(0.5);
        }
    }

    @Test
    void leadFollowUpRateCountsLeadsWithASecondOutboundTouchpoint() {
        try (EngineHarness h = new EngineHarness().send(TOUCHES)) {
            // L-1 has further outbound touchpoints, L-2 does not (tp4 logged twice is one touchpoint): 1 / 2
            assertThat(h.value("lead_follow_up_rate", "rep", "R-1", "month", "2026-11")).isEqualTo(0.5);
        }
    }

    @Test
    void touchpointsCountCountsDistinctTouchpointsByChannel() {
        try (EngineHarness h = new EngineHarness().send(TOUCHES)) {
            // 4 distinct touchpoints, 2 of them calls
            var tc = h.point("touchpoints_count", "company", null, "month", "2026-11");
            assertThat(tc.get("value").asLong()).isEqualTo(4);
            assertThat(tc.get("byChannel").get("CALL").asLong()).isEqualTo(2);
        }
    }

    @Test
    void meetingAcceptanceRateIsBookedOverBookedAndDeclined() {
        try (EngineHarness h = new EngineHarness().send(TOUCHES)) {
            // 1 booked / (1 booked + 1 declined)
            assertThat(h.value("meeting_acceptance_rate", "company", null, "month", "2026-11")).isEqualTo(0.5);
        }
    }

    @Test
    void responseSentimentIsPositiveOverPositiveAndNegative() {
        try (EngineHarness h = new EngineHarness().send(TOUCHES)) {
            // 1 positive / (1 positive + 1 negative)
            assertThat(h.value("response_sentiment", "company", null, "month", "2026-11")).isEqualTo(0.5);
        }
    }

    @Test
    void touchpointsToFirstMeetingCountsUpToAndIncludingTheBookedOne() {
        try (EngineHarness h = new EngineHarness().send(TOUCHES)) {
            // L-1's first meeting is its 3rd touchpoint
            assertThat(h.value("touchpoints_to_first_meeting", "company", null, "month", "2026-11")).isEqualTo(3.0);
        }
    }

    @Test
    void leadToOpportunityRatioIsConvertedLeadsOverTheLeadsOfTheirCohort() {
        try (EngineHarness h = new EngineHarness().send(TOUCHES)) {
            // no lead converted yet: 0 / 2
            assertThat(h.value("lead_to_opportunity_ratio", "source", "referral", "month", "2026-11")).isEqualTo(0.0);
            // L-1 converts in December: it counts in November, its creation's cohort → 1 / 2
            h.send(ev("v1", "LeadConverted", "2026-12-01T09:00:00Z", "\"leadId\":\"L-1\",\"dealId\":\"D-9\""));
            assertThat(h.value("lead_to_opportunity_ratio", "source", "referral", "month", "2026-11")).isEqualTo(0.5);
        }
    }
}
