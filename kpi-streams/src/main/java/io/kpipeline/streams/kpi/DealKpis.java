package io.kpipeline.streams.kpi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.streams.aggregate.Parts;
import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.time.Grain;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static io.kpipeline.streams.kpi.KpiDefinition.kpi;
import static io.kpipeline.streams.kpi.Points.distribution;
import static io.kpipeline.streams.kpi.Points.ratio;
import static io.kpipeline.streams.kpi.Scopes.ALL;
import static io.kpipeline.streams.kpi.Scopes.CALENDAR;
import static io.kpipeline.streams.kpi.Scopes.PIPELINE;
import static io.kpipeline.streams.measure.Measure.*;

/**
 * The catalogue's deal and pipeline KPIs, the pipeline over time among them: each declared once, with the reading
 * chosen where the catalogue leaves room.
 */
final class DealKpis {
    private DealKpis() {
    }

    static List<KpiDefinition> declared() {
        return List.of(
                kpi("new_opportunities").name("New opportunities").unit(Unit.COUNT).higherIsBetter()
                        .dimensions(ALL).grains(CALENDAR)
                        .definition("count of deals created")
                        .reads(DEALS_CREATED)
                        .computedBy((s, p) -> Points.count(p, s.count(DEALS_CREATED))),

                // the pipeline at a period's end sums every change before it: a late change moves every later period
                kpi("active_deals").name("Active deals").unit(Unit.COUNT).higherIsBetter()
                        .dimensions(ALL).grains(PIPELINE)
                        .definition("count of open deals, by stage: now (current) and at the end of each period")
                        .reads(PIPELINE_OPEN, PIPELINE_LEVEL).cumulative()
                        .computedBy((s, p) -> {
                            boolean now = s.grain() == Grain.CURRENT;
                            Points.count(p, now ? s.count(PIPELINE_OPEN) : PipelineHistory.closing(s).count());
                            byStage(now ? s.subs(PIPELINE_OPEN) : PipelineHistory.closingByStage(s), p);
                        }),

                kpi("pipeline_value").name("Pipeline value / volume").unit(Unit.MONEY).higherIsBetter()
                        .dimensions(ALL).grains(PIPELINE)
                        .definition("sum of open deal amounts and count of open deals, by stage: now (current) and at the "
                                + "end of each period; coverage = value / the pipeline_value target of the period (now: of "
                                + "the current month, else quarter) where one is set")
                        .reads(PIPELINE_OPEN, PIPELINE_LEVEL, TARGET).cumulative()
                        .computedBy((s, p) -> {
                            boolean now = s.grain() == Grain.CURRENT;
                            Parts open = now ? s.parts(PIPELINE_OPEN) : PipelineHistory.closing(s);
                            Points.money(p, open);
                            byStage(now ? s.subs(PIPELINE_OPEN) : PipelineHistory.closingByStage(s), p);
                            BigDecimal target = now ? Plans.currentTarget(s, "pipeline_value") : PipelineHistory.target(s);
                            if (target != null) {
                                p.set("coverage", ratio(Points.object(), open.sum(), target));
                            }
                        }),

                kpi("pipeline_flow").name("Pipeline flow (waterfall)").unit(Unit.MONEY).higherIsBetter()
                        .dimensions(ALL).grains(CALENDAR)
                        .definition("how the open pipeline moved in the period: opening + created + increased - decreased "
                                + "- won - lost + reopened = closing, each a count and a value; value = closing - opening")
                        .reads(PIPELINE_LEVEL, PIPELINE_FLOW).cumulative()
                        .computedBy(PipelineHistory::flow),

                kpi("win_rate").name("Win rate").unit(Unit.RATIO).higherIsBetter()
                        .dimensions(ALL).grains(CALENDAR)
                        .definition("deals won / deals closed (by close date)")
                        .reads(DEALS_WON, DEALS_LOST)
                        .computedBy((s, p) -> {
                            long won = s.count(DEALS_WON);
                            ratio(p, won, won + s.count(DEALS_LOST));
                        }),

                kpi("win_loss_ratio").name("Win/loss ratio").unit(Unit.RATIO).higherIsBetter()
                        .dimensions(ALL).grains(CALENDAR)
                        .definition("deals won / deals lost (by close date)")
                        .reads(DEALS_WON, DEALS_LOST)
                        .computedBy((s, p) -> ratio(p, s.count(DEALS_WON), s.count(DEALS_LOST))),

                kpi("closed_deal_ratio").name("Closed-deal ratio (conversion rate)").unit(Unit.RATIO).higherIsBetter()
                        .dimensions(ALL).grains(CALENDAR)
                        .definition("deals won / deals created (cohort by deal creation)")
                        .reads(DEALS_CREATED_WON, DEALS_CREATED)
                        .computedBy((s, p) -> ratio(p, s.count(DEALS_CREATED_WON), s.count(DEALS_CREATED))),

                kpi("revenue").name("Revenue").unit(Unit.MONEY).higherIsBetter()
                        .dimensions(ALL).grains(CALENDAR)
                        .definition("sum of won deal amounts (by close date)")
                        .reads(DEALS_WON)
                        .computedBy((s, p) -> Points.money(p, s.parts(DEALS_WON))),

                kpi("average_deal_size").name("Average deal size").unit(Unit.MONEY).higherIsBetter()
                        .dimensions(ALL).grains(CALENDAR)
                        .definition("revenue / deals won")
                        .reads(DEALS_WON)
                        .computedBy((s, p) -> mean(p, s.parts(DEALS_WON))),

                kpi("acv").name("Annual contract value").unit(Unit.MONEY).higherIsBetter()
                        .dimensions(ALL).grains(CALENDAR)
                        .definition("mean over won deals of amount x 12 / max(contract months, 12)")
                        .reads(ACV)
                        .computedBy((s, p) -> mean(p, s.parts(ACV))),

                kpi("sales_cycle_length").name("Sales cycle length").unit(Unit.SECONDS).lowerIsBetter()
                        .dimensions(ALL).grains(CALENDAR)
                        .definition("time from first contact (else deal creation) to won, by close date")
                        .reads(SALES_CYCLE)
                        .computedBy((s, p) -> distribution(p, s.parts(SALES_CYCLE))),

                kpi("stage_duration").name("Time in stage").unit(Unit.SECONDS).lowerIsBetter()
                        .dimensions(ALL).grains(CALENDAR)
                        .definition("time deals spend in each stage before leaving it (by stage exit); value over all "
                                + "stages, byStage per stage")
                        .reads(STAGE_DURATION)
                        .computedBy((s, p) -> {
                            distribution(p, s.parts(STAGE_DURATION));
                            ObjectNode by = p.putObject("byStage");
                            s.subs(STAGE_DURATION).forEach((stage, parts) -> distribution(by.putObject(stage), parts));
                        }),

                kpi("calls_per_opportunity").name("Calls per opportunity").unit(Unit.RATIO).lowerIsBetter()
                        .dimensions(ALL).grains(CALENDAR)
                        .definition("CALL touchpoints on the deal or its source lead / deals closed (by close date)")
                        .reads(CALLS_CLOSED)
                        .computedBy((s, p) -> mean(p, s.parts(CALLS_CLOSED))),

                kpi("upsell_cross_sell_rate").name("Upsell and cross-sell rate").unit(Unit.RATIO).higherIsBetter()
                        .dimensions(ALL).grains(CALENDAR)
                        .definition("won upsell and cross-sell deals / all won deals; byValue the same by amount")
                        .reads(UPSELL_WON, DEALS_WON)
                        .computedBy((s, p) -> {
                            Parts up = s.parts(UPSELL_WON), won = s.parts(DEALS_WON);
                            ratio(p, up.count(), won.count());
                            p.set("byValue", ratio(Points.object(), up.sum(), won.sum()));
                        }),

                kpi("product_performance").name("Product performance").unit(Unit.MONEY).higherIsBetter()
                        .dimensions(List.of(Dimension.PRODUCT)).grains(CALENDAR)
                        .definition("per product: revenue (value), deals won, win rate, average deal size")
                        .reads(DEALS_WON, DEALS_LOST)
                        .computedBy((s, p) -> {
                            Parts won = s.parts(DEALS_WON);
                            Points.money(p, won);
                            p.put("dealsWon", won.count());
                            p.set("winRate", ratio(won.count(), won.count() + s.count(DEALS_LOST)));
                            p.set("averageDealSize", ratio(Points.object(), won.sum(), BigDecimal.valueOf(won.count())));
                        }));
    }

    /** The mean of what was summed over the things counted. */
    private static void mean(ObjectNode p, Parts parts) {
        ratio(p, parts.sum(), BigDecimal.valueOf(parts.count()));
    }

    private static void byStage(Map<String, Parts> stages, ObjectNode p) {
        ObjectNode by = p.putObject("byStage");
        stages.forEach((stage, parts) -> {
            ObjectNode one = by.putObject(stage);
            one.put("count", parts.count());
            one.put("value", parts.sum());
        });
    }
}
