package io.kpipeline.streams.kpi;

import io.kpipeline.streams.EngineHarness;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.kpipeline.streams.kpi.CorrectionsTest.ev;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Customer and economics KPIs, each expected value worked out in the comment above it. */
class CustomerEconomicsTest {
    static String lead(String id, String at, String source) {
        return ev("lc-" + id, "LeadCreated", at, "\"leadId\":\"" + id + "\",\"repId\":\"R-1\",\"teamId\":\"T-1\",\"region\":\"EMEA\",\"segment\":\"SMB\",\"source\":\"" + source + "\"");
    }

    static String deal(String id, String lead, String account, String at, String amount) {
        return ev("dc-" + id, "DealCreated", at, "\"dealId\":\"" + id + "\",\"leadId\":\"" + lead + "\",\"accountId\":\"" + account
                + "\",\"stage\":\"s1\",\"amount\":\"" + amount + "\",\"product\":\"p1\"");
    }

    static String won(String id, String at) {
        return ev("dw-" + id + at, "DealClosed", at, "\"dealId\":\"" + id + "\",\"outcome\":\"WON\"");
    }

    static String churn(String account, String at) {
        return ev("ch-" + account + at, "CustomerChurned", at, "\"accountId\":\"" + account + "\"");
    }

    /** A1 won in August and churned in October, A2 won in September; a third lead never became a customer. */
    static final List<String> CUSTOMERS = List.of(lead("L1", "2026-08-01T09:00:00Z", "web"), deal("D1", "L1", "A1", "2026-08-02T09:00:00Z", "1000"), won("D1", "2026-08-10T00:00:00Z"),
            lead("L2", "2026-08-01T10:00:00Z", "web"), deal("D2", "L2", "A2", "2026-08-02T10:00:00Z", "3000"), won("D2", "2026-09-15T00:00:00Z"),
            lead("L3", "2026-08-01T11:00:00Z", "referral"),
            // A1 churns in October; a churn of A3 (never a customer) is ignored
            churn("A1", "2026-10-05T00:00:00Z"), churn("A3", "2026-10-06T00:00:00Z"));

    @Test
    void newCustomersCountsFirstWinsByCloseDate() {
        try (EngineHarness h = new EngineHarness().send(CUSTOMERS)) {
            // first wins: A1 in August, A2 in September
            assertThat(h.value("new_customers", "company", null, "month", "2026-08")).isEqualTo(1.0);
            assertThat(h.value("new_customers", "company", null, "quarter", "2026-Q3")).isEqualTo(2.0);
        }
    }

    @Test
    void customerAcquisitionRateIsTheLeadCohortsCustomersOverItsLeads() {
        try (EngineHarness h = new EngineHarness().send(CUSTOMERS)) {
            // acquisition cohort by lead creation: 3 leads in August, 2 became customers
            assertThat(h.value("customer_acquisition_rate", "company", null, "month", "2026-08")).isCloseTo(2 / 3.0, within(1e-9));
            assertThat(h.value("customer_acquisition_rate", "source", "web", "month", "2026-08")).isEqualTo(1.0);
        }
    }

    @Test
    void churnRateIsChurnsOfCustomersAtThePeriodsStartOverThem() {
        try (EngineHarness h = new EngineHarness().send(CUSTOMERS)) {
            // October: 2 customers at its start, 1 of them churned → 0.5
            assertThat(h.value("churn_rate", "company", null, "month", "2026-10")).isEqualTo(0.5);
            // November: 1 customer at start, no churn
            assertThat(h.value("churn_rate", "company", null, "month", "2026-11")).isEqualTo(0.0);
            // Q4: at its start (1 Oct) 2 customers; A1 churned → 0.5
            assertThat(h.value("churn_rate", "team", "T-1", "quarter", "2026-Q4")).isEqualTo(0.5);
        }
    }

    @Test
    void retentionRateIsOneMinusTheChurnRate() {
        try (EngineHarness h = new EngineHarness().send(CUSTOMERS)) {
            // October: 2 customers at its start, 1 churned → retention 0.5
            assertThat(h.value("retention_rate", "segment", "SMB", "month", "2026-10")).isEqualTo(0.5);
        }
    }

    @Test
    void averageCustomerLifetimeRunsFromTheFirstWinToTheChurn() {
        try (EngineHarness h = new EngineHarness().send(CUSTOMERS)) {
            // A1: first win 10 Aug 00:00 → churn 5 Oct 00:00 = 56 days
            var life = h.point("average_customer_lifetime", "company", null, "month", "2026-10");
            assertThat(life.get("value").asDouble()).isEqualTo(56 * 86400.0);
            // monthly churn over the 12 months to October: Sep 0/1 (A1 only at its start), Oct 1/2; Aug had no
            // customers at its start → mean (0 + 0.5) / 2 = 0.25 → 4 expected months
            assertThat(life.get("expectedMonths").asDouble()).isEqualTo(4.0);
        }
    }

    @Test
    void winAfterChurnIsNotANewCustomerAndReopeningTheFirstWinMovesTheStart() {
        try (EngineHarness h = new EngineHarness()) {
            h.send(lead("L1", "2026-08-01T09:00:00Z", "web"), deal("D1", "L1", "A1", "2026-08-02T09:00:00Z", "1000"),
                    won("D1", "2026-08-10T00:00:00Z"), churn("A1", "2026-09-05T00:00:00Z"),
                    deal("D2", "L1", "A1", "2026-10-01T00:00:00Z", "500"), won("D2", "2026-10-10T00:00:00Z"));
            // the October win makes A1 a customer again, but not a new one
            assertThat(h.value("new_customers", "company", null, "month", "2026-10")).isNull();
            assertThat(h.value("churn_rate", "company", null, "month", "2026-11")).isEqualTo(0.0);
            // revenue per customer in October: 500 / 1 paying customer
            assertThat(h.value("revenue_per_customer", "company", null, "month", "2026-10")).isEqualTo(500.0);
            // the August win is reopened: A1's first win is now October's, so it is new in October, not August
            h.send(ev("ro", "DealReopened", "2026-08-20T00:00:00Z", "\"dealId\":\"D1\",\"stage\":\"s1\""));
            assertThat(h.value("new_customers", "company", null, "month", "2026-08")).isNull();
            assertThat(h.value("new_customers", "company", null, "month", "2026-10")).isEqualTo(1.0);
            // its September churn came before it was a customer: ignored
            assertThat(h.value("churn_rate", "company", null, "month", "2026-09")).isNull();
        }
    }

    @Test
    void revenuePerCustomerCountsEachAccountOncePerPeriod() {
        try (EngineHarness h = new EngineHarness()) {
            h.send(lead("L1", "2026-08-01T09:00:00Z", "web"), deal("D1", "L1", "A1", "2026-08-02T09:00:00Z", "1000"),
                    deal("D2", "L1", "A1", "2026-08-02T09:00:00Z", "3000"), won("D1", "2026-08-10T00:00:00Z"), won("D2", "2026-08-20T00:00:00Z"));
            // one account won twice in August: 4000 / 1 customer; in the week of 10 Aug only D1: 1000 / 1
            assertThat(h.value("revenue_per_customer", "company", null, "month", "2026-08")).isEqualTo(4000.0);
            assertThat(h.value("revenue_per_customer", "rep", "R-1", "week", "2026-W33")).isEqualTo(1000.0);
        }
    }

    /** September's spend, two customers' wins (A1's second one in September) and A1's churn in September. */
    static final List<String> ECONOMICS = List.of(
            ev("s1", "SpendRecorded", "2026-09-01T00:00:00Z", "\"spendId\":\"S1\",\"category\":\"MARKETING\",\"amount\":\"3000.00\",\"periodStart\":\"2026-09-01\",\"periodEnd\":\"2026-09-30\",\"channel\":\"web\""),
            ev("s2", "SpendRecorded", "2026-09-01T00:00:00Z", "\"spendId\":\"S2\",\"category\":\"SALES\",\"amount\":\"1000.00\",\"periodStart\":\"2026-09-01\",\"periodEnd\":\"2026-09-30\",\"teamId\":\"T-1\""),
            lead("L1", "2026-08-01T09:00:00Z", "web"), deal("D1", "L1", "A1", "2026-08-02T09:00:00Z", "1000"), won("D1", "2026-08-10T00:00:00Z"),
            lead("L2", "2026-08-01T10:00:00Z", "web"), deal("D2", "L2", "A2", "2026-08-02T10:00:00Z", "3000"), won("D2", "2026-09-15T00:00:00Z"),
            deal("D3", "L1", "A1", "2026-09-02T10:00:00Z", "2000"), won("D3", "2026-09-20T00:00:00Z"),
            churn("A1", "2026-09-25T00:00:00Z"));

    @Test
    void cacIsSpendOverNewCustomers() {
        try (EngineHarness h = new EngineHarness().send(ECONOMICS)) {
            // September: spend 3000 + 1000, one new customer (A2) → CAC 4000; by source web: 3000 / 1
            assertThat(h.value("cac", "company", null, "month", "2026-09")).isEqualTo(4000.0);
            assertThat(h.value("cac", "source", "web", "month", "2026-09")).isEqualTo(3000.0);
        }
    }

    @Test
    void clvIsArpaTimesTheExpectedLifetime() {
        try (EngineHarness h = new EngineHarness().send(ECONOMICS)) {
            // September: revenue 3000 + 2000 = 5000; 1 customer at its start (A1) → ARPA 5000; churn 1/1 in
            // September, August had no customers at its start → mean monthly churn 1 → 1 month → CLV 5000
            var clv = h.point("clv", "company", null, "month", "2026-09");
            assertThat(clv.get("value").asDouble()).isEqualTo(5000.0);
        }
    }

    @Test
    void ltvToCacIsClvOverCac() {
        try (EngineHarness h = new EngineHarness().send(ECONOMICS)) {
            // LTV:CAC = 5000 / 4000
            assertThat(h.value("ltv_to_cac", "company", null, "month", "2026-09")).isEqualTo(1.25);
        }
    }

    @Test
    void revenueSumsWonAmountsByCloseDate() {
        try (EngineHarness h = new EngineHarness().send(ECONOMICS)) {
            // August: D1 1000; September: D2 3000 + D3 2000 (A1's churn takes nothing back)
            assertThat(h.value("revenue", "company", null, "month", "2026-08")).isEqualTo(1000.0);
            assertThat(h.value("revenue", "company", null, "month", "2026-09")).isEqualTo(5000.0);
            assertThat(h.value("revenue", "company", null, "quarter", "2026-Q3")).isEqualTo(6000.0);
        }
    }

    /** Rep R-1's forecasts and targets for September, a company forecast for Q3, and what R-1 closed. */
    static final List<String> PLANS = List.of(
            ev("f1", "ForecastSubmitted", "2026-09-01T00:00:00Z", "\"forecastId\":\"F1\",\"period\":\"2026-09\",\"amount\":\"5000\",\"repId\":\"R-1\""),
            // a later submission for the same period and scope replaces it
            ev("f2", "ForecastSubmitted", "2026-09-10T00:00:00Z", "\"forecastId\":\"F2\",\"period\":\"2026-09\",\"amount\":\"3000\",\"repId\":\"R-1\""),
            ev("f3", "ForecastSubmitted", "2026-07-10T00:00:00Z", "\"forecastId\":\"F3\",\"period\":\"2026-Q3\",\"amount\":\"10000\""),
            ev("t1", "TargetSet", "2026-09-01T00:00:00Z", "\"targetId\":\"T1\",\"period\":\"2026-09\",\"metric\":\"revenue\",\"value\":\"8000\",\"repId\":\"R-1\""),
            ev("t2", "TargetSet", "2026-09-01T00:00:00Z", "\"targetId\":\"T2\",\"period\":\"2026-09\",\"metric\":\"sql_count\",\"value\":\"4\",\"repId\":\"R-1\""),
            lead("L1", "2026-08-01T09:00:00Z", "web"), deal("D1", "L1", "A1", "2026-08-02T09:00:00Z", "4000"), won("D1", "2026-09-10T00:00:00Z"),
            ev("q1", "LeadQualified", "2026-09-03T00:00:00Z", "\"leadId\":\"L1\",\"level\":\"SQL\""));

    @Test
    void forecastAccuracyComparesTheLatestForecastWithTheRevenueClosed() {
        try (EngineHarness h = new EngineHarness().send(PLANS)) {
            // rep R-1, September: F = 3000 (the later one), A = 4000 → 1 - 1000/4000 = 0.75; bias (3000-4000)/4000 = -0.25
            var fa = h.point("forecast_accuracy", "rep", "R-1", "month", "2026-09");
            assertThat(fa.get("value").asDouble()).isEqualTo(0.75);
            assertThat(fa.get("bias").asDouble()).isEqualTo(-0.25);
            // company Q3 forecast 10000 vs revenue 4000 → 1 - 6000/4000 = -0.5 (may be negative)
            assertThat(h.value("forecast_accuracy", "company", null, "quarter", "2026-Q3")).isEqualTo(-0.5);
            // a forecast period with no revenue has no value
            assertThat(h.value("forecast_accuracy", "rep", "R-1", "month", "2026-10")).isNull();
        }
    }

    @Test
    void targetAttainmentIsActualOverTargetForEachMetricSet() {
        try (EngineHarness h = new EngineHarness().send(PLANS)) {
            // revenue 4000 / 8000 = 0.5; SQLs 1 / 4
            var ta = h.point("target_attainment", "rep", "R-1", "month", "2026-09");
            assertThat(ta.get("value").asDouble()).isEqualTo(0.5);
            assertThat(ta.get("byMetric").get("sql_count").get("value").asDouble()).isEqualTo(0.25);
        }
    }
}
