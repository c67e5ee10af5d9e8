package io.kpipeline.streams.kpi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.aggregate.Parts;
import io.kpipeline.streams.time.Grain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.kpipeline.streams.measure.Measure.*;
import static io.kpipeline.streams.kpi.Points.distribution;
import static io.kpipeline.streams.kpi.Points.ratio;

/**
 * Every KPI the pipeline serves, defined from aggregate measures exactly as {@code shared/kpi-catalogue.md}
 * words it. This is the one place a KPI's formula lives.
 */
public final class KpiCatalogue {
    private static final List<Dimension> ALL = List.of(Dimension.values());
    private static final List<Dimension> NO_PRODUCT = List.of(Dimension.COMPANY, Dimension.TEAM, Dimension.REP,
            Dimension.REGION, Dimension.SOURCE, Dimension.SEGMENT);
    private static final List<Grain> CALENDAR = Grain.CALENDAR;
    private static final List<Grain> PIPELINE_GRAINS = List.of(Grain.CURRENT, Grain.DAY, Grain.WEEK, Grain.MONTH, Grain.QUARTER, Grain.YEAR);
    private static final Map<String, KpiDefinition> BY_ID = new LinkedHashMap<>();

    static {
        // ---- Lead and funnel ----
        add("leads_created", "New leads", "count", true, NO_PRODUCT, CALENDAR,
                "count of leads created (by lead creation date)", List.of(LEADS_CREATED),
                (s, p) -> Points.count(p, s.count(LEADS_CREATED)));
        add("sql_count", "Sales-qualified leads (SQL)", "count", true, NO_PRODUCT, CALENDAR,
                "count of leads that reached SQL (by SQL date)", List.of(SQL),
                (s, p) -> Points.count(p, s.count(SQL)));
        add("lead_velocity_rate", "Lead velocity rate (LVR)", "ratio", true, NO_PRODUCT, List.of(Grain.MONTH, Grain.QUARTER),
                "(SQL in the period - SQL in the previous period) / SQL in the previous period", List.of(SQL),
                (s, p) -> {
                    long now = s.count(SQL), before = s.at(s.grain().plus(s.period(), -1)).count(SQL);
                    ratio(p, now - before, before);
                    p.put("current", now);
                    p.put("previous", before);
                }, 1);
        add("lead_response_time", "Lead response time", "seconds", false, NO_PRODUCT, CALENDAR,
                "time from lead creation to its first outbound touchpoint (by lead creation date); withinSla = leads "
                        + "contacted within their SLA / leads created", List.of(LEAD_RESPONSE, LEAD_WITHIN_SLA, LEADS_CREATED),
                (s, p) -> {
                    distribution(p, s.parts(LEAD_RESPONSE));
                    p.set("withinSla", ratio(s.count(LEAD_WITHIN_SLA), s.count(LEADS_CREATED)));
                });
        add("lead_to_opportunity_ratio", "Lead-to-opportunity ratio", "ratio", true, NO_PRODUCT, CALENDAR,
                "leads converted to an opportunity / leads created (cohort by lead creation)",
                List.of(LEAD_CONVERTED, LEADS_CREATED), (s, p) -> ratio(p, s.count(LEAD_CONVERTED), s.count(LEADS_CREATED)));
        add("qualified_lead_conversion", "Qualified-lead conversion", "ratio", true, ALL, CALENDAR,
                "SQLs whose opportunity was won / SQLs (cohort by SQL date)", List.of(SQL_WON, SQL),
                (s, p) -> ratio(p, s.count(SQL_WON), s.count(SQL)));
        add("touchpoints_to_first_meeting", "Touchpoints to first meeting", "count", false, NO_PRODUCT, CALENDAR,
                "mean touchpoints on a lead or its deals up to and including its first booked meeting (by meeting date)",
                List.of(FIRST_MEETING), (s, p) -> {
                    Parts f = s.parts(FIRST_MEETING);
                    ratio(p, f.sum(), BigDecimal.valueOf(f.count()));
                    p.put("count", f.count());
                });
        add("touchpoints_count", "Touchpoints", "count", true, ALL, CALENDAR,
                "count of touchpoints, by channel", List.of(TOUCHPOINTS), (s, p) -> {
                    Points.count(p, s.count(TOUCHPOINTS));
                    ObjectNode by = p.putObject("byChannel");
                    s.subs(TOUCHPOINTS).forEach((channel, parts) -> by.put(channel, parts.count()));
                });
        add("lead_follow_up_rate", "Lead follow-up rate", "ratio", true, NO_PRODUCT, CALENDAR,
                "leads with a further outbound touchpoint after the first contact / leads contacted (by lead creation)",
                List.of(LEAD_FOLLOWED_UP, LEAD_RESPONSE),
                (s, p) -> ratio(p, s.count(LEAD_FOLLOWED_UP), s.parts(LEAD_RESPONSE).distCount()));
        add("meeting_acceptance_rate", "Meeting acceptance rate", "ratio", true, NO_PRODUCT, CALENDAR,
                "meetings booked / (booked + declined)", List.of(MEETINGS_BOOKED, MEETINGS_DECLINED), (s, p) -> {
                    long booked = s.count(MEETINGS_BOOKED);
                    ratio(p, booked, booked + s.count(MEETINGS_DECLINED));
                });
        add("response_sentiment", "Positive / negative responses", "ratio", true, ALL, CALENDAR,
                "positive replies / (positive + negative replies), and the reverse",
                List.of(RESPONSES_POSITIVE, RESPONSES_NEGATIVE), (s, p) -> {
                    long pos = s.count(RESPONSES_POSITIVE), neg = s.count(RESPONSES_NEGATIVE);
                    ratio(p, pos, pos + neg);
                    p.set("positive", ratio(pos, pos + neg));
                    p.set("negative", ratio(neg, pos + neg));
                });
        add("cost_per_lead", "Cost per lead", "money", false, List.of(Dimension.COMPANY, Dimension.SOURCE), CALENDAR,
                "marketing spend / leads created", List.of(MARKETING_SPEND, LEADS_CREATED),
                (s, p) -> ratio(p, s.parts(MARKETING_SPEND).sum(), BigDecimal.valueOf(s.count(LEADS_CREATED))));

        // ---- Deal and pipeline ----
        add("new_opportunities", "New opportunities", "count", true, ALL, CALENDAR,
                "count of deals created", List.of(DEALS_CREATED), (s, p) -> Points.count(p, s.count(DEALS_CREATED)));
        add("active_deals", "Active deals", "count", true, ALL, PIPELINE_GRAINS,
                "count of open deals, by stage: now (current) and at the end of each period", List.of(PIPELINE_OPEN, PIPELINE_LEVEL),
                (s, p) -> {
                    boolean now = s.grain() == Grain.CURRENT;
                    Points.count(p, now ? s.count(PIPELINE_OPEN) : PipelineHistory.closing(s).count());
                    byStage(now ? s.subs(PIPELINE_OPEN) : PipelineHistory.closingByStage(s), p);
                });
        add("pipeline_value", "Pipeline value / volume", "money", true, ALL, PIPELINE_GRAINS,
                "sum of open deal amounts and count of open deals, by stage: now (current) and at the end of each period; "
                        + "coverage = value / the pipeline_value target of the period (now: of the current month, else quarter) "
                        + "where one is set", List.of(PIPELINE_OPEN, PIPELINE_LEVEL, TARGET), (s, p) -> {
                    boolean now = s.grain() == Grain.CURRENT;
                    Parts open = now ? s.parts(PIPELINE_OPEN) : PipelineHistory.closing(s);
                    Points.money(p, open);
                    byStage(now ? s.subs(PIPELINE_OPEN) : PipelineHistory.closingByStage(s), p);
                    BigDecimal target = now ? Plans.currentTarget(s, "pipeline_value") : PipelineHistory.target(s);
                    if (target != null) {
                        p.set("coverage", ratio(Points.object(), open.sum(), target));
                    }
                });
        add("pipeline_flow", "Pipeline flow (waterfall)", "money", true, ALL, CALENDAR,
                "how the open pipeline moved in the period: opening + created + increased - decreased - won - lost + reopened "
                        + "= closing, each a count and a value; value = closing - opening", List.of(PIPELINE_LEVEL, PIPELINE_FLOW),
                PipelineHistory::flow);
        // the pipeline at a period's end sums every change before it: a late change moves every later period
        cumulative("active_deals", "pipeline_value", "pipeline_flow");
        add("win_rate", "Win rate", "ratio", true, ALL, CALENDAR, "deals won / deals closed (by close date)",
                List.of(DEALS_WON, DEALS_LOST), (s, p) -> {
                    long won = s.count(DEALS_WON);
                    ratio(p, won, won + s.count(DEALS_LOST));
                });
        add("win_loss_ratio", "Win/loss ratio", "ratio", true, ALL, CALENDAR, "deals won / deals lost (by close date)",
                List.of(DEALS_WON, DEALS_LOST), (s, p) -> ratio(p, s.count(DEALS_WON), s.count(DEALS_LOST)));
        add("closed_deal_ratio", "Closed-deal ratio (conversion rate)", "ratio", true, ALL, CALENDAR,
                "deals won / deals created (cohort by deal creation)", List.of(DEALS_CREATED_WON, DEALS_CREATED),
                (s, p) -> ratio(p, s.count(DEALS_CREATED_WON), s.count(DEALS_CREATED)));
        add("revenue", "Revenue", "money", true, ALL, CALENDAR, "sum of won deal amounts (by close date)",
                List.of(DEALS_WON), (s, p) -> Points.money(p, s.parts(DEALS_WON)));
        add("average_deal_size", "Average deal size", "money", true, ALL, CALENDAR, "revenue / deals won",
                List.of(DEALS_WON), (s, p) -> {
                    Parts won = s.parts(DEALS_WON);
                    ratio(p, won.sum(), BigDecimal.valueOf(won.count()));
                });
        add("acv", "Annual contract value", "money", true, ALL, CALENDAR,
                "mean over won deals of amount x 12 / max(contract months, 12)", List.of(ACV), (s, p) -> {
                    Parts acv = s.parts(ACV);
                    ratio(p, acv.sum(), BigDecimal.valueOf(acv.count()));
                });
        add("sales_cycle_length", "Sales cycle length", "seconds", false, ALL, CALENDAR,
                "time from first contact (else deal creation) to won, by close date", List.of(SALES_CYCLE),
                (s, p) -> distribution(p, s.parts(SALES_CYCLE)));
        add("stage_duration", "Time in stage", "seconds", false, ALL, CALENDAR,
                "time deals spend in each stage before leaving it (by stage exit); value over all stages, byStage per stage",
                List.of(STAGE_DURATION), (s, p) -> {
                    distribution(p, s.parts(STAGE_DURATION));
                    ObjectNode by = p.putObject("byStage");
                    s.subs(STAGE_DURATION).forEach((stage, parts) -> distribution(by.putObject(stage), parts));
                });
        add("calls_per_opportunity", "Calls per opportunity", "ratio", false, ALL, CALENDAR,
                "CALL touchpoints on the deal or its source lead / deals closed (by close date)", List.of(CALLS_CLOSED),
                (s, p) -> {
                    Parts c = s.parts(CALLS_CLOSED);
                    ratio(p, c.sum(), BigDecimal.valueOf(c.count()));
                });
        add("upsell_cross_sell_rate", "Upsell and cross-sell rate", "ratio", true, ALL, CALENDAR,
                "won upsell and cross-sell deals / all won deals; byValue the same by amount",
                List.of(UPSELL_WON, DEALS_WON), (s, p) -> {
                    Parts up = s.parts(UPSELL_WON), won = s.parts(DEALS_WON);
                    ratio(p, up.count(), won.count());
                    p.set("byValue", ratio(Points.object(), up.sum(), won.sum()));
                });
        add("product_performance", "Product performance", "money", true, List.of(Dimension.PRODUCT), CALENDAR,
                "per product: revenue (value), deals won, win rate, average deal size", List.of(DEALS_WON, DEALS_LOST),
                (s, p) -> {
                    Parts won = s.parts(DEALS_WON);
                    Points.money(p, won);
                    p.put("dealsWon", won.count());
                    p.set("winRate", ratio(won.count(), won.count() + s.count(DEALS_LOST)));
                    p.set("averageDealSize", ratio(Points.object(), won.sum(), BigDecimal.valueOf(won.count())));
                });
    }

    static {
        // ---- Customer and economics ----
        add("new_customers", "New customers", "count", true, ALL, CALENDAR,
                "accounts whose first-ever won deal closed in the period", List.of(NEW_CUSTOMERS),
                (s, p) -> Points.count(p, s.count(NEW_CUSTOMERS)));
        add("customer_acquisition_rate", "Customer acquisition rate", "ratio", true, NO_PRODUCT, CALENDAR,
                "new customers / leads created (cohort by lead creation)", List.of(CUSTOMERS_FROM_LEADS, LEADS_CREATED),
                (s, p) -> ratio(p, s.count(CUSTOMERS_FROM_LEADS), s.count(LEADS_CREATED)));
        List<Dimension> churnDims = List.of(Dimension.COMPANY, Dimension.TEAM, Dimension.REGION, Dimension.SEGMENT);
        add("churn_rate", "Churn rate", "ratio", false, churnDims, CALENDAR,
                "customers active at the start of the period that churned in it / customers active at its start",
                List.of(CHURNS_OF_ACTIVE, CUSTOMERS_NET), (s, p) -> ratio(p, CustomerBase.churnsOfActive(s), CustomerBase.activeAtStart(s)));
        add("retention_rate", "Retention rate", "ratio", true, churnDims, CALENDAR, "1 - churn rate over the period",
                List.of(CHURNS_OF_ACTIVE, CUSTOMERS_NET), (s, p) -> {
                    long active = CustomerBase.activeAtStart(s);
                    ratio(p, active - CustomerBase.churnsOfActive(s), active);
                });
        add("average_customer_lifetime", "Average customer lifetime", "seconds", true, churnDims, CALENDAR,
                "mean time from first win to churn over customers churned in the period; expectedMonths = 1 / mean "
                        + "monthly churn rate over the 12 months ending with the period", List.of(CHURNS, CHURNS_OF_ACTIVE, CUSTOMERS_NET),
                (s, p) -> {
                    distribution(p, s.parts(CHURNS));
                    number(p, "expectedMonths", CustomerBase.expectedMonths(s));
                });
        add("revenue_per_customer", "Revenue per customer (average basket)", "money", true, ALL, CALENDAR,
                "revenue / distinct paying customers (accounts with a won deal) in the period", List.of(DEALS_WON, PAYING_CUSTOMERS),
                (s, p) -> ratio(p, s.parts(DEALS_WON).sum(), BigDecimal.valueOf(
                        s.reader().get(PAYING_CUSTOMERS, s.dimension(), s.grain(), s.period(), s.key(), s.grain().id()).count())));
        add("clv", "Customer lifetime value", "money", true, List.of(Dimension.COMPANY, Dimension.SEGMENT, Dimension.REGION),
                List.of(Grain.MONTH), "ARPA (revenue in the month / customers active at its start) x expected lifetime in months "
                        + "(1 / mean monthly churn over the 12 months ending with it)", List.of(DEALS_WON, CUSTOMERS_NET, CHURNS_OF_ACTIVE),
                (s, p) -> Economics.clv(s, p));
        add("cac", "Customer acquisition cost", "money", false, List.of(Dimension.COMPANY, Dimension.SOURCE), CALENDAR,
                "(marketing + sales spend in the period) / new customers in it", List.of(MARKETING_SPEND, SALES_SPEND, NEW_CUSTOMERS),
                (s, p) -> Economics.cac(s, p));
        add("ltv_to_cac", "LTV:CAC", "ratio", true, List.of(Dimension.COMPANY), List.of(Grain.MONTH), "clv / cac",
                List.of(DEALS_WON, CUSTOMERS_NET, CHURNS_OF_ACTIVE, MARKETING_SPEND, SALES_SPEND, NEW_CUSTOMERS),
                (s, p) -> Economics.ltvToCac(s, p));
        // customers active at a period's start sum every customer spell before it, and the expected lifetime
        // averages the churn of the 12 months ending with the period: a late win or churn moves every later period
        cumulative("churn_rate", "retention_rate", "average_customer_lifetime", "clv", "ltv_to_cac");
        List<Dimension> planDims = List.of(Dimension.COMPANY, Dimension.TEAM, Dimension.REP);
        List<Grain> planGrains = List.of(Grain.MONTH, Grain.QUARTER);
        add("forecast_accuracy", "Forecast accuracy", "ratio", true, planDims, planGrains,
                "1 - abs(A - F) / A for the forecast F of the period and scope and the revenue A closed in it; bias = (F - A) / A",
                List.of(FORECAST, DEALS_WON), Plans::forecastAccuracy);
        add("target_attainment", "Target attainment", "ratio", true, planDims, planGrains,
                "actual / target for each target set (revenue, pipeline_value at the period's end, sql_count, new_customers); "
                        + "value is revenue's where set, byMetric has each", List.of(TARGET, DEALS_WON, SQL, NEW_CUSTOMERS, PIPELINE_LEVEL),
                Plans::targetAttainment);
        // pipeline attainment is measured at the period's end, which sums every pipeline change before it
        cumulative("target_attainment");
    }

    private KpiCatalogue() {
    }

    static void number(ObjectNode p, String field, BigDecimal value) {
        if (value == null) {
            p.putNull(field);
        } else {
            p.put(field, value.doubleValue());
        }
    }

    private static void byStage(Map<String, Parts> stages, ObjectNode p) {
        ObjectNode by = p.putObject("byStage");
        stages.forEach((stage, parts) -> {
            ObjectNode one = by.putObject(stage);
            one.put("count", parts.count());
            one.put("value", parts.sum());
        });
    }

    private static void add(String id, String name, String unit, boolean higher, List<Dimension> dims, List<Grain> grains,
                            String description, List<Measure> measures, KpiDefinition.Calculator calc) {
        add(id, name, unit, higher, dims, grains, description, measures, calc, 0);
    }

    private static void add(String id, String name, String unit, boolean higher, List<Dimension> dims, List<Grain> grains,
                            String description, List<Measure> measures, KpiDefinition.Calculator calc, int lookback) {
        BY_ID.put(id, new KpiDefinition(id, name, unit, higher, dims, grains, description, measures, calc, lookback, false));
    }

    private static void cumulative(String... ids) {
        for (String id : ids) {
            BY_ID.put(id, BY_ID.get(id).asCumulative());
        }
    }

    public static KpiDefinition byId(String id) {
        return BY_ID.get(id);
    }

    public static List<KpiDefinition> all() {
        return Collections.unmodifiableList(new ArrayList<>(BY_ID.values()));
    }

    /** The KPIs computed from {@code m}, so a change to it republishes them. */
    public static List<KpiDefinition> using(Measure m) {
        List<KpiDefinition> out = new ArrayList<>();
        for (KpiDefinition k : BY_ID.values()) {
            if (k.measures().contains(m)) {
                out.add(k);
            }
        }
        return out;
    }
}
