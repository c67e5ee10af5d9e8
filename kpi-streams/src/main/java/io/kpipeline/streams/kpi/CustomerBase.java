package io.kpipeline.streams.kpi;

import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.time.Grain;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;

/**
 * Customer counts derived from the customer-spell deltas: how many customers a slice had at the start of a
 * period (the sum of every spell start and end before it), churn rates over calendar months, and the expected
 * lifetime that follows from them.
 */
public final class CustomerBase {
    private CustomerBase() {
    }

    /** Customers at the start of {@code day}. */
    static long activeAtStart(Slice s, LocalDate day) {
        return Levels.before(s, Measure.CUSTOMERS_NET, day).count();
    }

    /** Customers at the start of the slice's period. */
    static long activeAtStart(Slice s) {
        return activeAtStart(s, s.grain().start(s.period()));
    }

    /** Churns in the slice's period of customers active at its start. */
    static long churnsOfActive(Slice s) {
        return s.reader().get(Measure.CHURNS_OF_ACTIVE, s.dimension(), s.grain(), s.period(), s.key(), s.grain().id()).count();
    }

    /**
     * The mean of the monthly churn rates over the 12 months ending with the month that contains the end of the
     * slice's period (months without customers at their start have no rate and are left out); null when no month
     * has a rate.
     */
    static BigDecimal meanMonthlyChurn(Slice s) {
        int last = Grain.MONTH.ordinalOf(s.grain().end(s.period()).minusDays(1));
        BigDecimal sum = BigDecimal.ZERO;
        int months = 0;
        for (int m = last - 11; m <= last; m++) {
            Slice month = new Slice(s.reader(), s.dimension(), s.key(), Grain.MONTH, m, s.today());
            long active = activeAtStart(month);
            if (active > 0) {
                sum = sum.add(BigDecimal.valueOf(churnsOfActive(month)).divide(BigDecimal.valueOf(active), MathContext.DECIMAL64));
                months++;
            }
        }
        return months == 0 ? null : sum.divide(BigDecimal.valueOf(months), MathContext.DECIMAL64);
    }

    /** 1 ÷ mean monthly churn, or null when that churn is 0 or unknown. */
    static BigDecimal expectedMonths(Slice s) {
        BigDecimal churn = meanMonthlyChurn(s);
        return churn == null || churn.signum() == 0 ? null : BigDecimal.ONE.divide(churn, MathContext.DECIMAL64);
    }
}
