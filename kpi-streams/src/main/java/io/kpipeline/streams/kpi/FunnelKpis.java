package io.kpipeline.streams.kpi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.streams.aggregate.Parts;

import java.math.BigDecimal;
import java.util.List;

import static io.kpipeline.streams.kpi.KpiDefinition.kpi;
import static io.kpipeline.streams.kpi.Points.distribution;
import static io.kpipeline.streams.kpi.Points.ratio;
import static io.kpipeline.streams.kpi.Scopes.ALL;
import static io.kpipeline.streams.kpi.Scopes.CALENDAR;
import static io.kpipeline.streams.kpi.Scopes.MONTH_QUARTER;
import static io.kpipeline.streams.kpi.Scopes.NO_PRODUCT;
import static io.kpipeline.streams.kpi.Scopes.SPEND;
import static io.kpipeline.streams.measure.Measure.*;

/** The catalogue's lead and funnel KPIs: each declared once, with the reading chosen where the catalogue leaves room. */
final class FunnelKpis {
    private FunnelKpis() {
    }

    static List<KpiDefinition> declared() {
        return List.of(
                kpi("leads_created").name("New leads").unit(Unit.COUNT).higherIsBetter()
                        .dimensions(NO_PRODUCT).grains(CALENDAR)
                        .definition("count of leads created (by lead creation date)")
                        .reads(LEADS_CREATED)
                        .computedBy((s, p) -> Points.count(p, s.count(LEADS_CREATED))),

                kpi("sql_count").name("Sales-qualified leads (SQL)").unit(Unit.COUNT).higherIsBetter()
                        .dimensions(NO_PRODUCT).grains(CALENDAR)
                        .definition("count of leads that reached SQL (by SQL date)")
                        .reads(SQL)
                        .computedBy((s, p) -> Points.count(p, s.count(SQL))),

                kpi("lead_velocity_rate").name("Lead velocity rate (LVR)").unit(Unit.RATIO).higherIsBetter()
                        .dimensions(NO_PRODUCT).grains(MONTH_QUARTER)
                        .definition("(SQL in the period - SQL in the previous period) / SQL in the previous period")
                        .reads(SQL).lookback(1)
                        .computedBy((s, p) -> {
                            long now = s.count(SQL), before = s.at(s.grain().plus(s.period(), -1)).count(SQL);
                            ratio(p, now - before, before);
                            p.put("current", now);
                            p.put("previous", before);
                        }),

                kpi("lead_response_time").name("Lead response time").unit(Unit.SECONDS).lowerIsBetter()
                        .dimensions(NO_PRODUCT).grains(CALENDAR)
                        .definition("time from lead creation to its first outbound touchpoint (by lead creation date); "
                                + "withinSla = leads contacted within their SLA / leads created")
                        .reads(LEAD_RESPONSE, LEAD_WITHIN_SLA, LEADS_CREATED)
                        .computedBy((s, p) -> {
                            distribution(p, s.parts(LEAD_RESPONSE));
                            p.set("withinSla", ratio(s.count(LEAD_WITHIN_SLA), s.count(LEADS_CREATED)));
                        }),

                kpi("lead_to_opportunity_ratio").name("Lead-to-opportunity ratio").unit(Unit.RATIO).higherIsBetter()
                        .dimensions(NO_PRODUCT).grains(CALENDAR)
                        .definition("leads converted to an opportunity / leads created (cohort by lead creation)")
                        .reads(LEAD_CONVERTED, LEADS_CREATED)
                        .computedBy((s, p) -> ratio(p, s.count(LEAD_CONVERTED), s.count(LEADS_CREATED))),

                kpi("qualified_lead_conversion").name("Qualified-lead conversion").unit(Unit.RATIO).higherIsBetter()
                        .dimensions(ALL).grains(CALENDAR)
                        .definition("SQLs whose opportunity was won / SQLs (cohort by SQL date)")
                        .reads(SQL_WON, SQL)
                        .computedBy((s, p) -> ratio(p, s.count(SQL_WON), s.count(SQL))),

                kpi("touchpoints_to_first_meeting").name("Touchpoints to first meeting").unit(Unit.COUNT).lowerIsBetter()
                        .dimensions(NO_PRODUCT).grains(CALENDAR)
                        .definition("mean touchpoints on a lead or its deals up to and including its first booked meeting "
                                + "(by meeting date)")
                        .reads(FIRST_MEETING)
                        .computedBy((s, p) -> {
                            Parts f = s.parts(FIRST_MEETING);
                            ratio(p, f.sum(), BigDecimal.valueOf(f.count()));
                            p.put("count", f.count());
                        }),

                kpi("touchpoints_count").name("Touchpoints").unit(Unit.COUNT).higherIsBetter()
                        .dimensions(ALL).grains(CALENDAR)
                        .definition("count of touchpoints, by channel")
                        .reads(TOUCHPOINTS)
                        .computedBy((s, p) -> {
                            Points.count(p, s.count(TOUCHPOINTS));
                            ObjectNode by = p.putObject("byChannel");
                            s.subs(TOUCHPOINTS).forEach((channel, parts) -> by.put(channel, parts.count()));
                        }),

                kpi("lead_follow_up_rate").name("Lead follow-up rate").unit(Unit.RATIO).higherIsBetter()
                        .dimensions(NO_PRODUCT).grains(CALENDAR)
                        .definition("leads with a further outbound touchpoint after the first contact / leads contacted "
                                + "(by lead creation)")
                        .reads(LEAD_FOLLOWED_UP, LEAD_RESPONSE)
                        .computedBy((s, p) -> ratio(p, s.count(LEAD_FOLLOWED_UP), s.parts(LEAD_RESPONSE).distCount())),

                kpi("meeting_acceptance_rate").name("Meeting acceptance rate").unit(Unit.RATIO).higherIsBetter()
                        .dimensions(NO_PRODUCT).grains(CALENDAR)
                        .definition("meetings booked / (booked + declined)")
                        .reads(MEETINGS_BOOKED, MEETINGS_DECLINED)
                        .computedBy((s, p) -> {
                            long booked = s.count(MEETINGS_BOOKED);
                            ratio(p, booked, booked + s.count(MEETINGS_DECLINED));
                        }),

                kpi("response_sentiment").name("Positive / negative responses").unit(Unit.RATIO).higherIsBetter()
                        .dimensions(ALL).grains(CALENDAR)
                        .definition("positive replies / (positive + negative replies), and the reverse")
                        .reads(RESPONSES_POSITIVE, RESPONSES_NEGATIVE)
                        .computedBy((s, p) -> {
                            long pos = s.count(RESPONSES_POSITIVE), neg = s.count(RESPONSES_NEGATIVE);
                            ratio(p, pos, pos + neg);
                            p.set("positive", ratio(pos, pos + neg));
                            p.set("negative", ratio(neg, pos + neg));
                        }),

                kpi("cost_per_lead").name("Cost per lead").unit(Unit.MONEY).lowerIsBetter()
                        .dimensions(SPEND).grains(CALENDAR)
                        .definition("marketing spend / leads created")
                        .reads(MARKETING_SPEND, LEADS_CREATED)
                        .computedBy((s, p) -> ratio(p, s.parts(MARKETING_SPEND).sum(), BigDecimal.valueOf(s.count(LEADS_CREATED)))));
    }
}
