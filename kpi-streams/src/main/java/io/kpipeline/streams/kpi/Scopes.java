package io.kpipeline.streams.kpi;

import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.time.Grain;

import java.util.List;

/** The dimension and grain sets the catalogue's KPIs are declared over. */
final class Scopes {
    static final List<Dimension> ALL = Dimension.ALL;
    /** A lead has no product, so lead-attributed KPIs have none either. */
    static final List<Dimension> NO_PRODUCT = List.of(Dimension.COMPANY, Dimension.TEAM, Dimension.REP,
            Dimension.REGION, Dimension.SOURCE, Dimension.SEGMENT);
    static final List<Dimension> SPEND = List.of(Dimension.COMPANY, Dimension.SOURCE);
    /** The dimensions the catalogue attributes customers (churn, retention, lifetime) to. */
    static final List<Dimension> CUSTOMER = List.of(Dimension.COMPANY, Dimension.TEAM, Dimension.REGION, Dimension.SEGMENT);
    static final List<Dimension> PLAN = List.of(Dimension.COMPANY, Dimension.TEAM, Dimension.REP);
    static final List<Grain> CALENDAR = Grain.CALENDAR;
    /** The pipeline now, and at the end of each calendar period. */
    static final List<Grain> PIPELINE = List.of(Grain.CURRENT, Grain.DAY, Grain.WEEK, Grain.MONTH, Grain.QUARTER, Grain.YEAR);
    static final List<Grain> MONTH = List.of(Grain.MONTH);
    static final List<Grain> MONTH_QUARTER = List.of(Grain.MONTH, Grain.QUARTER);

    private Scopes() {
    }
}
