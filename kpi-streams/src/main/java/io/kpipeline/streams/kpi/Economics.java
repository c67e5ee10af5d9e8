package io.kpipeline.streams.kpi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.streams.measure.Measure;

import java.math.BigDecimal;
import java.math.MathContext;

/** The unit economics KPIs: CLV, CAC and their ratio, each with the parts it was computed from. */
final class Economics {
    private Economics() {
    }

    /** ARPA × expected lifetime in months; null when either is unknown. */
    static BigDecimal clvValue(Slice s, ObjectNode p) {
        long active = CustomerBase.activeAtStart(s);
        BigDecimal revenue = s.parts(Measure.DEALS_WON).sum();
        BigDecimal arpa = active == 0 ? null : revenue.divide(BigDecimal.valueOf(active), MathContext.DECIMAL64);
        BigDecimal months = CustomerBase.expectedMonths(s);
        Points.number(p, "arpa", arpa);
        Points.number(p, "expectedMonths", months);
        p.put("activeAtStart", active);
        return arpa == null || months == null ? null : arpa.multiply(months, MathContext.DECIMAL64);
    }

    static void clv(Slice s, ObjectNode p) {
        Points.number(p, "value", clvValue(s, p));
    }

    static BigDecimal cacValue(Slice s, ObjectNode p) {
        BigDecimal spend = s.parts(Measure.MARKETING_SPEND).sum().add(s.parts(Measure.SALES_SPEND).sum());
        long customers = s.count(Measure.NEW_CUSTOMERS);
        Points.ratio(p, spend, BigDecimal.valueOf(customers));
        return customers == 0 ? null : spend.divide(BigDecimal.valueOf(customers), MathContext.DECIMAL64);
    }

    static void cac(Slice s, ObjectNode p) {
        cacValue(s, p);
    }

    static void ltvToCac(Slice s, ObjectNode p) {
        ObjectNode clvParts = p.putObject("clv");
        BigDecimal clv = clvValue(s, clvParts);
        Points.number(clvParts, "value", clv);
        ObjectNode cacParts = p.putObject("cac");
        BigDecimal cac = cacValue(s, cacParts);
        Points.number(p, "value", clv == null || cac == null || cac.signum() == 0 ? null : clv.divide(cac, MathContext.DECIMAL64));
    }
}
