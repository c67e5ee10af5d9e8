package io.kpipeline.streams.kpi;

import io.kpipeline.avro.KpiPoint;
import io.kpipeline.streams.EngineHarness;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What kpi-updates carries: every period containing a changed day, with the value a query answers. */
class UpdatesTest {
    static String lead(String id, String at, String rep) {
        return EngineHarness.event("e-" + id, "LeadCreated", at,
                "\"leadId\":\"" + id + "\",\"repId\":\"" + rep + "\",\"teamId\":\"T-1\",\"source\":\"inbound-web\"");
    }

    /** The latest point of each record key, as a compacted topic keeps it. */
    static Map<String, KpiPoint> latest(EngineHarness h) {
        Map<String, KpiPoint> out = new HashMap<>();
        h.updates().forEach(r -> out.put(r.key(), r.value()));
        return out;
    }

    @Test
    void aChangedDayRepublishesItsWeekMonthQuarterAndYear() {
        try (EngineHarness h = new EngineHarness()) {
            h.send(lead("L-1", "2026-11-03T09:00:00Z", "R-1"), lead("L-2", "2026-11-20T09:00:00Z", "R-1"));
            Map<String, KpiPoint> first = latest(h);
            // two leads in November: the day of each (1), the ISO week of each (1; 3 Nov is in W45, 20 Nov in W47),
            // and the month, quarter and year holding both (2)
            assertThat(first.get("leads_created|rep|R-1|day|2026-11-03").getValue()).isEqualTo(1.0);
            assertThat(first.get("leads_created|rep|R-1|week|2026-W45").getValue()).isEqualTo(1.0);
            assertThat(first.get("leads_created|rep|R-1|month|2026-11").getValue()).isEqualTo(2.0);
            assertThat(first.get("leads_created|rep|R-1|quarter|2026-Q4").getValue()).isEqualTo(2.0);
            assertThat(first.get("leads_created|company||year|2026").getValue()).isEqualTo(2.0);

            // a third lead on another day of the month: its day and every period above it again, nothing else
            h.send(lead("L-3", "2026-11-21T09:00:00Z", "R-1"));
            Map<String, KpiPoint> second = latest(h);
            assertThat(second.get("leads_created|rep|R-1|day|2026-11-21").getValue()).isEqualTo(1.0);
            assertThat(second.get("leads_created|rep|R-1|month|2026-11").getValue()).isEqualTo(3.0);
            assertThat(second.get("leads_created|team|T-1|year|2026").getValue()).isEqualTo(3.0);
            assertThat(second).doesNotContainKey("leads_created|rep|R-1|day|2026-11-03");

            // a lead created and then, in the same commit, its duplicate: nothing changes, nothing is published
            h.send(lead("L-3", "2026-11-21T09:00:00Z", "R-1"));
            assertThat(latest(h)).doesNotContainKey("leads_created|rep|R-1|month|2026-11");
        }
    }

    @Test
    void aPipelineChangeRepublishesTargetAttainmentWhereAPipelineTargetIsSet() {
        // target attainment measures a pipeline-value target against the current open pipeline, so a deal's new
        // amount moves the attainment of the month with that target though no day of it changed
        String month = java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString();
        try (EngineHarness h = new EngineHarness()) {
            h.send(EngineHarness.event("t1", "TargetSet", month + "-01T00:00:00Z",
                            "\"targetId\":\"T1\",\"period\":\"" + month + "\",\"metric\":\"pipeline_value\",\"value\":\"10000\""),
                    EngineHarness.event("d1", "DealCreated", month + "-01T09:00:00Z", "\"dealId\":\"D-1\",\"stage\":\"discovery\",\"amount\":\"2000.00\""));
            String key = "target_attainment|company||month|" + month;
            // one open deal of 2,000 against a target of 10,000: 0.2
            assertThat(latest(h).get(key)).isNotNull().extracting(KpiPoint::getValue).isEqualTo(0.2);
            h.send(EngineHarness.event("d2", "DealUpdated", month + "-01T10:00:00Z", "\"dealId\":\"D-1\",\"amount\":\"5000.00\""));
            // the deal now 5,000: 0.5
            assertThat(latest(h).get(key)).as("republished").isNotNull().extracting(KpiPoint::getValue).isEqualTo(0.5);
        }
    }

    static String[] wonDeal(String id, String account, String created, String won) {
        return new String[] {
                EngineHarness.event("dc-" + id, "DealCreated", created, "\"dealId\":\"" + id + "\",\"accountId\":\"" + account
                        + "\",\"stage\":\"discovery\",\"amount\":\"1000.00\""),
                EngineHarness.event("dw-" + id, "DealClosed", won, "\"dealId\":\"" + id + "\",\"outcome\":\"WON\"")};
    }

    @Test
    void aLateFirstWinRepublishesTheChurnRateOfEveryLaterPeriod() {
        try (EngineHarness h = new EngineHarness()) {
            h.send(wonDeal("D-1", "A-1", "2026-08-01T09:00:00Z", "2026-08-10T09:00:00Z"));
            // A-1 is a customer from 10 August: September (no event of its own) starts with one active customer
            String september = "churn_rate|company||month|2026-09";
            assertThat(latest(h).get(september)).isNotNull().extracting(KpiPoint::getDenominator).isEqualTo(1.0);
            // another account's first win, arriving late, dated July: every later month starts with two
            h.send(wonDeal("D-2", "A-2", "2026-07-01T09:00:00Z", "2026-07-05T09:00:00Z"));
            Map<String, KpiPoint> after = latest(h);
            assertThat(after.get(september)).as("republished").isNotNull().extracting(KpiPoint::getDenominator).isEqualTo(2.0);
            assertThat(after.get("retention_rate|company||quarter|2026-Q4")).isNotNull().extracting(KpiPoint::getDenominator).isEqualTo(2.0);
        }
    }

    @Test
    void aNewPipelineTargetRepublishesTheCurrentPipelineWithItsCoverage() {
        // pipeline_value's current point carries coverage: the open pipeline against this month's pipeline target
        String month = java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString();
        try (EngineHarness h = new EngineHarness()) {
            h.send(EngineHarness.event("d1", "DealCreated", month + "-01T09:00:00Z", "\"dealId\":\"D-1\",\"stage\":\"discovery\",\"amount\":\"2000.00\""));
            String key = "pipeline_value|company||current|current";
            assertThat(latest(h).get(key)).isNotNull().extracting(p -> p.getJson().toString()).asString().doesNotContain("coverage");
            h.send(EngineHarness.event("t1", "TargetSet", month + "-01T00:00:00Z",
                    "\"targetId\":\"T1\",\"period\":\"" + month + "\",\"metric\":\"pipeline_value\",\"value\":\"8000\""));
            // 2,000 open against a target of 8,000: coverage 0.25
            assertThat(latest(h).get(key)).as("republished").isNotNull().extracting(p -> p.getJson().toString()).asString()
                    .contains("\"coverage\":{\"numerator\":2000");
        }
    }
}
