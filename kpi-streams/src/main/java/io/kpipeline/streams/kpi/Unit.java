package io.kpipeline.streams.kpi;

import java.util.Locale;

/** What a KPI's {@code value} is measured in, as the API names it. */
public enum Unit {
    /** A number of things. */
    COUNT,
    /** A quotient, with its numerator and denominator beside it. */
    RATIO,
    /** An amount in the reporting currency. */
    MONEY,
    /** A duration in seconds. */
    SECONDS;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
