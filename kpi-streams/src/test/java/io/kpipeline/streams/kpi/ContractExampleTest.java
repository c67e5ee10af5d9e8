package io.kpipeline.streams.kpi;

import io.kpipeline.streams.EngineHarness;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The worked example at the end of shared/event-contract.md, value by value. */
class ContractExampleTest {
    static final String[] EXAMPLE = {
            "{\"eventId\":\"e-1\",\"type\":\"LeadCreated\",\"occurredAt\":\"2026-11-02T09:00:00Z\",\"leadId\":\"L-1\",\"repId\":\"R-7\",\"teamId\":\"T-emea\",\"region\":\"EMEA\",\"segment\":\"SMB\",\"source\":\"inbound-web\"}",
            "{\"eventId\":\"e-2\",\"type\":\"TouchpointLogged\",\"occurredAt\":\"2026-11-02T09:03:30Z\",\"touchpointId\":\"tp-1\",\"leadId\":\"L-1\",\"repId\":\"R-7\",\"channel\":\"CALL\",\"outcome\":\"POSITIVE\"}",
            "{\"eventId\":\"e-3\",\"type\":\"LeadQualified\",\"occurredAt\":\"2026-11-03T10:00:00Z\",\"leadId\":\"L-1\",\"level\":\"SQL\"}",
            "{\"eventId\":\"e-4\",\"type\":\"LeadConverted\",\"occurredAt\":\"2026-11-03T10:05:00Z\",\"leadId\":\"L-1\",\"dealId\":\"D-1\",\"accountId\":\"A-1\"}",
            "{\"eventId\":\"e-5\",\"type\":\"DealCreated\",\"occurredAt\":\"2026-11-03T10:05:00Z\",\"dealId\":\"D-1\",\"accountId\":\"A-1\",\"leadId\":\"L-1\",\"repId\":\"R-7\",\"product\":\"analytics\",\"stage\":\"discovery\",\"amount\":\"24000.00\",\"currency\":\"EUR\",\"contractMonths\":24}",
            "{\"eventId\":\"e-6\",\"type\":\"DealClosed\",\"occurredAt\":\"2026-11-20T16:00:00Z\",\"dealId\":\"D-1\",\"outcome\":\"WON\"}"};

    @Test
    void everyFigureOfTheExample() {
        try (EngineHarness h = new EngineHarness()) {
            h.send(EXAMPLE);
            String r = "R-7";
            assertThat(h.value("leads_created", "rep", r, "month", "2026-11")).isEqualTo(1.0);
            // first outbound touchpoint 09:03:30 - created 09:00:00 = 210 s, inside the 5-minute SLA
            var response = h.point("lead_response_time", "rep", r, "month", "2026-11");
            assertThat(response.get("value").asDouble()).isEqualTo(210.0);
            assertThat(response.get("p50").asDouble()).isCloseTo(210.0, within(2.1));
            assertThat(response.get("withinSla").get("value").asDouble()).isEqualTo(1.0);
            assertThat(h.value("sql_count", "rep", r, "month", "2026-11")).isEqualTo(1.0);
            assertThat(h.value("lead_to_opportunity_ratio", "rep", r, "month", "2026-11")).isEqualTo(1.0);
            assertThat(h.value("win_rate", "rep", r, "month", "2026-11")).isEqualTo(1.0);
            assertThat(h.value("revenue", "rep", r, "month", "2026-11")).isEqualTo(24000.0);
            // 24000 x 12 / max(24, 12) = 12000
            assertThat(h.value("acv", "rep", r, "month", "2026-11")).isEqualTo(12000.0);
            // 2 Nov 09:03:30 -> 20 Nov 16:00:00 = 18 d 6 h 56 m 30 s = 1,580,190 s
            assertThat(h.value("sales_cycle_length", "rep", r, "month", "2026-11")).isEqualTo(1_580_190.0);
            assertThat(h.value("closed_deal_ratio", "rep", r, "month", "2026-11")).isEqualTo(1.0);
            // a single outbound touchpoint: contacted but not followed up
            assertThat(h.value("lead_follow_up_rate", "rep", r, "month", "2026-11")).isEqualTo(0.0);
            // the deal has no team or region: it takes its lead's
            assertThat(h.value("revenue", "team", "T-emea", "month", "2026-11")).isEqualTo(24000.0);
            assertThat(h.value("revenue", "region", "EMEA", "month", "2026-11")).isEqualTo(24000.0);
            assertThat(h.value("revenue", "company", null, "quarter", "2026-Q4")).isEqualTo(24000.0);
            assertThat(h.value("revenue", "source", "inbound-web", "year", "2026")).isEqualTo(24000.0);
            assertThat(h.value("revenue", "rep", r, "month", "2026-10")).isNull();
            assertThat(h.updates()).isNotEmpty();
        }
    }
}
