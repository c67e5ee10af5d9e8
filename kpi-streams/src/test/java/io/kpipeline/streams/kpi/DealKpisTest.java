package io.kpipeline.streams.kpi;

import io.kpipeline.streams.EngineHarness;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.kpipeline.streams.kpi.CorrectionsTest.ev;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The deal and pipeline KPIs (the pipeline over time aside), a test each, every expected value worked out in the comment above it. */
class DealKpisTest {
    static String lead(String id, String at) {
        return ev("l-" + id, "LeadCreated", at, "\"leadId\":\"" + id + "\",\"repId\":\"R-1\",\"source\":\"web\"");
    }

    static String deal(String id, String lead, String at, String amount, String extra) {
        return ev("d-" + id, "DealCreated", at, "\"dealId\":\"" + id + "\",\"leadId\":\"" + lead + "\",\"stage\":\"s1\",\"amount\":\"" + amount
                + "\",\"product\":\"p1\"" + extra);
    }

    static String close(String id, String at, String outcome) {
        return ev("c-" + id, "DealClosed", at, "\"dealId\":\"" + id + "\",\"outcome\":\"" + outcome + "\"");
    }

    static String call(String tp, String lead, String deal, String at) {
        return ev("t-" + tp, "TouchpointLogged", at, "\"touchpointId\":\"" + tp + "\"," + (lead != null ? "\"leadId\":\"" + lead + "\"" : "\"dealId\":\"" + deal + "\"")
                + ",\"channel\":\"CALL\"");
    }

    /** Three deals of rep R-1 created in October, two won and one lost in November, and the calls on them. */
    static final List<String> CLOSED = List.of(lead("L1", "2026-10-01T09:00:00Z"), lead("L2", "2026-10-01T09:00:00Z"), lead("L3", "2026-10-01T09:00:00Z"),
            // L1: 2 calls on the lead, 1 on its deal D1; L2: none; L3: 1 call
            call("a", "L1", null, "2026-10-01T10:00:00Z"), call("b", "L1", null, "2026-10-02T10:00:00Z"),
            call("c", "L3", null, "2026-10-02T10:00:00Z"),
            deal("D1", "L1", "2026-10-03T09:00:00Z", "1000", ""), call("d", null, "D1", "2026-10-04T10:00:00Z"),
            deal("D2", "L2", "2026-10-03T09:00:00Z", "3000", ",\"dealType\":\"UPSELL\""),
            deal("D3", "L3", "2026-10-03T09:00:00Z", "500", ""),
            close("D1", "2026-11-05T09:00:00Z", "WON"), close("D2", "2026-11-06T09:00:00Z", "WON"), close("D3", "2026-11-07T09:00:00Z", "LOST"));

    @Test
    void winRateIsWonOverClosedByCloseDate() {
        try (EngineHarness h = new EngineHarness().send(CLOSED)) {
            // November: 2 won of 3 closed
            assertThat(h.value("win_rate", "company", null, "month", "2026-11")).isCloseTo(2 / 3.0, within(1e-9));
            // nothing closed in October
            assertThat(h.value("win_rate", "company", null, "month", "2026-10")).isNull();
        }
    }

    @Test
    void winLossRatioIsWonOverLost() {
        try (EngineHarness h = new EngineHarness().send(CLOSED)) {
            // November: 2 won, 1 lost → win/loss 2 / 1
            assertThat(h.value("win_loss_ratio", "company", null, "month", "2026-11")).isEqualTo(2.0);
        }
    }

    @Test
    void averageDealSizeIsRevenueOverWins() {
        try (EngineHarness h = new EngineHarness().send(CLOSED)) {
            // (1000 + 3000) / 2 won
            assertThat(h.value("average_deal_size", "rep", "R-1", "month", "2026-11")).isEqualTo(2000.0);
        }
    }

    @Test
    void upsellCrossSellRateIsUpsellWinsOverWinsByCountAndValue() {
        try (EngineHarness h = new EngineHarness().send(CLOSED)) {
            // 1 upsell of 2 wins; by value 3000 / 4000
            var up = h.point("upsell_cross_sell_rate", "company", null, "month", "2026-11");
            assertThat(up.get("value").asDouble()).isEqualTo(0.5);
            assertThat(up.get("byValue").get("value").asDouble()).isEqualTo(0.75);
        }
    }

    @Test
    void callsPerOpportunityCountsCallsOnTheDealAndItsLeadOverClosedDeals() {
        try (EngineHarness h = new EngineHarness().send(CLOSED)) {
            // calls on closed deals or their leads: D1 3 (a, b, d), D2 0, D3 1 (c) → 4 / 3 closed deals
            assertThat(h.value("calls_per_opportunity", "company", null, "month", "2026-11")).isCloseTo(4 / 3.0, within(1e-9));
        }
    }

    @Test
    void productPerformanceHasRevenueWinsWinRateAndAverageSize() {
        try (EngineHarness h = new EngineHarness().send(CLOSED)) {
            // product p1: revenue 4000, 2 won, win rate 2/3, average 2000
            var pp = h.point("product_performance", "product", "p1", "month", "2026-11");
            assertThat(pp.get("value").asDouble()).isEqualTo(4000.0);
            assertThat(pp.get("dealsWon").asLong()).isEqualTo(2);
            assertThat(pp.get("winRate").get("value").asDouble()).isCloseTo(2 / 3.0, within(1e-9));
            assertThat(pp.get("averageDealSize").get("value").asDouble()).isEqualTo(2000.0);
        }
    }

    @Test
    void closedDealRatioIsTheCreationCohortsWinsOverItsDeals() {
        try (EngineHarness h = new EngineHarness().send(CLOSED)) {
            // deals created in October: 3, of which 2 are won now
            assertThat(h.value("closed_deal_ratio", "company", null, "month", "2026-10")).isCloseTo(2 / 3.0, within(1e-9));
        }
    }

    @Test
    void newOpportunitiesCountsDealsByCreationDate() {
        try (EngineHarness h = new EngineHarness().send(CLOSED)) {
            assertThat(h.value("new_opportunities", "product", "p1", "month", "2026-10")).isEqualTo(3.0);
            // closing them in November creates nothing
            assertThat(h.value("new_opportunities", "product", "p1", "month", "2026-11")).isNull();
        }
    }

    @Test
    void activeDealsIsEmptyOnceEveryDealHasClosed() {
        try (EngineHarness h = new EngineHarness().send(CLOSED)) {
            // nothing open any more
            assertThat(h.value("active_deals", "company", null, "current", null)).isNull();
        }
    }

    @Test
    void salesCycleLengthRunsFromTheFirstOutboundTouchpointElseTheDealsCreationToTheWin() {
        try (EngineHarness h = new EngineHarness().send(CLOSED)) {
            // D1: L1's first outbound touchpoint 1 Oct 10:00 → won 5 Nov 09:00 = 34 d 23 h = 3,020,400 s;
            // D2: L2 was never contacted, from the deal's creation 3 Oct 09:00 → 6 Nov 09:00 = 34 d = 2,937,600 s;
            // D3 was lost; mean (3,020,400 + 2,937,600) / 2 = 2,979,000 s
            var cycle = h.point("sales_cycle_length", "company", null, "month", "2026-11");
            assertThat(cycle.get("value").asDouble()).isEqualTo(2_979_000.0);
            assertThat(cycle.get("count").asLong()).isEqualTo(2);
        }
    }

    @Test
    void stageDurationCountsEachStageAtItsExit() {
        try (EngineHarness h = new EngineHarness().send(CLOSED)) {
            h.send(deal("D4", "L1", "2026-11-01T00:00:00Z", "100", ""),
                    ev("sc-D4", "DealStageChanged", "2026-11-02T00:00:00Z", "\"dealId\":\"D4\",\"fromStage\":\"s1\",\"toStage\":\"s2\""),
                    close("D4", "2026-11-04T00:00:00Z", "WON"));
            // s1: D1, D2, D3 from 3 Oct 09:00 to their closes on 5, 6, 7 Nov 09:00 (33, 34, 35 days) and D4's 1 day
            // (1 → 2 Nov); s2: D4's 2 days (2 → 4 Nov). All five exits are in November:
            // s1 mean (33 + 34 + 35 + 1) / 4 = 25.75 d = 2,224,800 s; overall (33 + 34 + 35 + 1 + 2) / 5 = 21 d = 1,814,400 s
            var stages = h.point("stage_duration", "company", null, "month", "2026-11");
            assertThat(stages.get("value").asDouble()).isEqualTo(1_814_400.0);
            assertThat(stages.get("byStage").get("s1").get("value").asDouble()).isEqualTo(2_224_800.0);
            assertThat(stages.get("byStage").get("s2").get("value").asDouble()).isEqualTo(2 * 86_400.0);
        }
    }

    @Test
    void acvAnnualisesEachWonAmountOverItsContract() {
        try (EngineHarness h = new EngineHarness()) {
            h.send(lead("L1", "2026-10-01T09:00:00Z"),
                    deal("D1", "L1", "2026-10-03T09:00:00Z", "36000", ",\"contractMonths\":36"),
                    deal("D2", "L1", "2026-10-03T09:00:00Z", "6000", ",\"contractMonths\":6"),
                    deal("D3", "L1", "2026-10-03T09:00:00Z", "5000", ""),
                    close("D1", "2026-11-05T09:00:00Z", "WON"), close("D2", "2026-11-05T09:00:00Z", "WON"), close("D3", "2026-11-05T09:00:00Z", "WON"));
            // D1 36000 x 12 / 36 = 12000; D2 6000 x 12 / max(6, 12) = 6000; D3 (12 months when absent) 5000;
            // mean (12000 + 6000 + 5000) / 3 = 7666.67
            assertThat(h.value("acv", "company", null, "month", "2026-11")).isCloseTo(23000 / 3.0, within(1e-6));
        }
    }

    @Test
    void qualifiedLeadConversionFollowsTheWinOfTheLeadsOpportunity() {
        try (EngineHarness h = new EngineHarness()) {
            h.send(lead("L1", "2026-10-01T09:00:00Z"), lead("L2", "2026-10-01T09:00:00Z"),
                    ev("q1", "LeadQualified", "2026-10-02T09:00:00Z", "\"leadId\":\"L1\",\"level\":\"SQL\""),
                    ev("q2", "LeadQualified", "2026-10-02T09:00:00Z", "\"leadId\":\"L2\",\"level\":\"SQL\""),
                    ev("v1", "LeadConverted", "2026-10-03T09:00:00Z", "\"leadId\":\"L1\",\"dealId\":\"D1\""),
                    deal("D1", "L1", "2026-10-03T09:00:00Z", "1000", ""));
            // 2 SQLs in October, none won yet
            assertThat(h.value("qualified_lead_conversion", "company", null, "month", "2026-10")).isEqualTo(0.0);
            // D1 won in December: L1's October SQL now counts as won → 1 / 2, in October's cohort
            h.send(close("D1", "2026-12-01T09:00:00Z", "WON"));
            assertThat(h.value("qualified_lead_conversion", "company", null, "month", "2026-10")).isEqualTo(0.5);
            assertThat(h.value("qualified_lead_conversion", "product", "p1", "month", "2026-10")).isEqualTo(1.0);
        }
    }

    @Test
    void unknownParametersAreRefusedWithTheirName() {
        try (EngineHarness h = new EngineHarness()) {
            var q = h.query();
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> q.select("nope", null, null, null, null, null)))
                    .hasMessageContaining("unknown KPI 'nope'");
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> q.select("revenue", "planet", null, null, null, null)))
                    .hasMessageContaining("dimension");
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> q.select("revenue", "rep", null, "month", null, null)))
                    .hasMessageContaining("key");
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> q.select("revenue", null, null, "month", "2026-13", null)))
                    .hasMessageContaining("from");
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> q.select("lead_velocity_rate", null, null, "day", null, null)))
                    .hasMessageContaining("grain");
        }
    }
}
