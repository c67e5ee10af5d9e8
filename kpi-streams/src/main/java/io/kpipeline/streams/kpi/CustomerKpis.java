package io.kpipeline.streams.kpi;

import io.kpipeline.streams.measure.Dimension;

import java.math.BigDecimal;
import java.util.List;

import static io.kpipeline.streams.kpi.KpiDefinition.kpi;
import static io.kpipeline.streams.kpi.Points.distribution;
import static io.kpipeline.streams.kpi.Points.ratio;
import static io.kpipeline.streams.kpi.Scopes.ALL;
import static io.kpipeline.streams.kpi.Scopes.CALENDAR;
import static io.kpipeline.streams.kpi.Scopes.CUSTOMER;
import static io.kpipeline.streams.kpi.Scopes.MONTH;
import static io.kpipeline.streams.kpi.Scopes.MONTH_QUARTER;
import static io.kpipeline.streams.kpi.Scopes.NO_PRODUCT;
import static io.kpipeline.streams.kpi.Scopes.PLAN;
import static io.kpipeline.streams.kpi.Scopes.SPEND;
import static io.kpipeline.streams.measure.Measure.*;

/**
 * The catalogue's customer and economics KPIs, forecasts and targets among them: each declared once, with the
 * reading chosen where the catalogue leaves room. Customers active at a period's start sum every customer spell
 * before it, and the expected lifetime averages the churn of the 12 months ending with the period, so the KPIs
 * reading them are cumulative: a late win or churn moves every later period.
 */
final class CustomerKpis {
    private CustomerKpis() {
    }

    static List<KpiDefinition> declared() {
        return List.of(
                kpi("new_customers").name("New customers").unit(Unit.COUNT).higherIsBetter()
                        .dimensions(ALL).grains(CALENDAR)
                        .definition("accounts whose first-ever won deal closed in the period")
                        .reads(NEW_CUSTOMERS)
                        .computedBy((s, p) -> Points.count(p, s.count(NEW_CUSTOMERS))),

                kpi("customer_acquisition_rate").name("Customer acquisition rate").unit(Unit.RATIO).higherIsBetter()
                        .dimensions(NO_PRODUCT).grains(CALENDAR)
                        .definition("new customers / leads created (cohort by lead creation)")
                        .reads(CUSTOMERS_FROM_LEADS, LEADS_CREATED)
                        .computedBy((s, p) -> ratio(p, s.count(CUSTOMERS_FROM_LEADS), s.count(LEADS_CREATED))),

                kpi("churn_rate").name("Churn rate").unit(Unit.RATIO).lowerIsBetter()
                        .dimensions(CUSTOMER).grains(CALENDAR)
                        .definition("customers active at the start of the period that churned in it / customers active "
                                + "at its start")
                        .reads(CHURNS_OF_ACTIVE, CUSTOMERS_NET).cumulative()
                        .computedBy((s, p) -> ratio(p, CustomerBase.churnsOfActive(s), CustomerBase.activeAtStart(s))),

                kpi("retention_rate").name("Retention rate").unit(Unit.RATIO).higherIsBetter()
                        .dimensions(CUSTOMER).grains(CALENDAR)
                        .definition("1 - churn rate over the period")
                        .reads(CHURNS_OF_ACTIVE, CUSTOMERS_NET).cumulative()
                        .computedBy((s, p) -> {
                            long active = CustomerBase.activeAtStart(s);
                            ratio(p, active - CustomerBase.churnsOfActive(s), active);
                        }),

                kpi("average_customer_lifetime").name("Average customer lifetime").unit(Unit.SECONDS).higherIsBetter()
                        .dimensions(CUSTOMER).grains(CALENDAR)
                        .definition("mean time from first win to churn over customers churned in the period; "
                                + "expectedMonths = 1 / mean monthly churn rate over the 12 months ending with the period")
                        .reads(CHURNS, CHURNS_OF_ACTIVE, CUSTOMERS_NET).cumulative()
                        .computedBy((s, p) -> {
                            distribution(p, s.parts(CHURNS));
                            Points.number(p, "expectedMonths", CustomerBase.expectedMonths(s));
                        }),

                kpi("revenue_per_customer").name("Revenue per customer (average basket)").unit(Unit.MONEY).higherIsBetter()
                        .dimensions(ALL).grains(CALENDAR)
                        .definition("revenue / distinct paying customers (accounts with a won deal) in the period")
                        .reads(DEALS_WON, PAYING_CUSTOMERS)
                        .computedBy((s, p) -> ratio(p, s.parts(DEALS_WON).sum(), BigDecimal.valueOf(
                                s.reader().get(PAYING_CUSTOMERS, s.dimension(), s.grain(), s.period(), s.key(), s.grain().id()).count()))),

                kpi("clv").name("Customer lifetime value").unit(Unit.MONEY).higherIsBetter()
                        .dimensions(List.of(Dimension.COMPANY, Dimension.SEGMENT, Dimension.REGION)).grains(MONTH)
                        .definition("ARPA (revenue in the month / customers active at its start) x expected lifetime in "
                                + "months (1 / mean monthly churn over the 12 months ending with it)")
                        .reads(DEALS_WON, CUSTOMERS_NET, CHURNS_OF_ACTIVE).cumulative()
                        .computedBy(Economics::clv),

                kpi("cac").name("Customer acquisition cost").unit(Unit.MONEY).lowerIsBetter()
                        .dimensions(SPEND).grains(CALENDAR)
                        .definition("(marketing + sales spend in the period) / new customers in it")
                        .reads(MARKETING_SPEND, SALES_SPEND, NEW_CUSTOMERS)
                        .computedBy(Economics::cac),

                kpi("ltv_to_cac").name("LTV:CAC").unit(Unit.RATIO).higherIsBetter()
                        .dimensions(List.of(Dimension.COMPANY)).grains(MONTH)
                        .definition("clv / cac")
                        .reads(DEALS_WON, CUSTOMERS_NET, CHURNS_OF_ACTIVE, MARKETING_SPEND, SALES_SPEND, NEW_CUSTOMERS)
                        .cumulative()
                        .computedBy(Economics::ltvToCac),

                kpi("forecast_accuracy").name("Forecast accuracy").unit(Unit.RATIO).higherIsBetter()
                        .dimensions(PLAN).grains(MONTH_QUARTER)
                        .definition("1 - abs(A - F) / A for the forecast F of the period and scope and the revenue A "
                                + "closed in it; bias = (F - A) / A")
                        .reads(FORECAST, DEALS_WON)
                        .computedBy(Plans::forecastAccuracy),

                // pipeline attainment is measured at the period's end, which sums every pipeline change before it
                kpi("target_attainment").name("Target attainment").unit(Unit.RATIO).higherIsBetter()
                        .dimensions(PLAN).grains(MONTH_QUARTER)
                        .definition("actual / target for each target set (revenue, pipeline_value at the period's end, "
                                + "sql_count, new_customers); value is revenue's where set, byMetric has each")
                        .reads(TARGET, DEALS_WON, SQL, NEW_CUSTOMERS, PIPELINE_LEVEL).cumulative()
                        .computedBy(Plans::targetAttainment));
    }
}
