package io.kpipeline.streams.kpi;

import io.kpipeline.streams.EngineHarness;
import org.junit.jupiter.api.Test;

import static io.kpipeline.streams.kpi.CorrectionsTest.ev;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The deal KPIs not covered elsewhere, each expected value worked out in the comment above it. */
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

    @Test
    void winLossAverageSizeUpsellCallsAndProductPerformance() {
        try (EngineHarness h = new EngineHarness()) {
            h.send(lead("L1", "2026-10-01T09:00:00Z"), lead("L2", "2026-10-01T09:00:00Z"), lead("L3", "2026-10-01T09:00:00Z"),
                    // L1: 2 calls on the lead, 1 on its deal D1; L2: none; L3: 1 call
                    call("a", "L1", null, "2026-10-01T10:00:00Z"), call("b", "L1", null, "2026-10-02T10:00:00Z"),
                    call("c", "L3", null, "2026-10-02T10:00:00Z"),
                    deal("D1", "L1", "2026-10-03T09:00:00Z", "1000", ""), call("d", null, "D1", "2026-10-04T10:00:00Z"),
                    deal("D2", "L2", "2026-10-03T09:00:00Z", "3000", ",\"dealType\":\"UPSELL\""),
                    deal("D3", "L3", "2026-10-03T09:00:00Z", "500", ""),
                    close("D1", "2026-11-05T09:00:00Z", "WON"), close("D2", "2026-11-06T09:00:00Z", "WON"), close("D3", "2026-11-07T09:00:00Z", "LOST"));
            // November: 2 won, 1 lost → win/loss 2 / 1
            assertThat(h.value("win_loss_ratio", "company", null, "month", "2026-11")).isEqualTo(2.0);
            // (1000 + 3000) / 2 won
            assertThat(h.value("average_deal_size", "rep", "R-1", "month", "2026-11")).isEqualTo(2000.0);
            // 1 upsell of 2 wins; by value 3000 / 4000
            var up = h.point("upsell_cross_sell_rate", "company", null, "month", "2026-11");
            assertThat(up.get("value").asDouble()).isEqualTo(0.5);
            assertThat(up.get("byValue").get("value").asDouble()).isEqualTo(0.75);
            // calls on closed deals or their leads: D1 3 (a, b, d), D2 0, D3 1 (c) → 4 / 3 closed deals
            assertThat(h.value("calls_per_opportunity", "company", null, "month", "2026-11")).isCloseTo(4 / 3.0, within(1e-9));
            // product p1: revenue 4000, 2 won, win rate 2/3, average 2000
            var pp = h.point("product_performance", "product", "p1", "month", "2026-11");
            assertThat(pp.get("value").asDouble()).isEqualTo(4000.0);
            assertThat(pp.get("dealsWon").asLong()).isEqualTo(2);
            assertThat(pp.get("winRate").get("value").asDouble()).isCloseTo(2 / 3.0, within(1e-9));
            assertThat(pp.get("averageDealSize").get("value").asDouble()).isEqualTo(2000.0);
            // deals created in October: 3, of which 2 are won now
            assertThat(h.value("closed_deal_ratio", "company", null, "month", "2026-10")).isCloseTo(2 / 3.0, within(1e-9));
            assertThat(h.value("new_opportunities", "product", "p1", "month", "2026-10")).isEqualTo(3.0);
            // nothing open any more
            assertThat(h.value("active_deals", "company", null, "current", null)).isNull();
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
