package io.kpipeline.streams.kpi;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.streams.aggregate.Parts;

import java.math.BigDecimal;
import java.math.MathContext;

/** Builds the JSON parts of a point the way the query API shows them: ratios with their parts, distributions in seconds. */
public final class Points {
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Points() {
    }

    public static ObjectNode object() {
        return JSON.objectNode();
    }

    /** A ratio: {@code value} = n ÷ d, or null when d is 0. */
    public static ObjectNode ratio(ObjectNode into, BigDecimal n, BigDecimal d) {
        into.put("numerator", n);
        into.put("denominator", d);
        if (d.signum() == 0) {
            into.putNull("value");
        } else {
            into.put("value", n.divide(d, MathContext.DECIMAL64).doubleValue());
        }
        return into;
    }

    public static ObjectNode ratio(ObjectNode into, long n, long d) {
        return ratio(into, BigDecimal.valueOf(n), BigDecimal.valueOf(d));
    }

    public static ObjectNode ratio(long n, long d) {
        return ratio(object(), n, d);
    }

    /** A duration distribution in seconds: value = mean; count, sum, p50, p90, p99. */
    public static ObjectNode distribution(ObjectNode into, Parts p) {
        long n = p.distCount();
        into.put("count", n);
        if (n == 0) {
            into.putNull("value");
            return into;
        }
        into.put("value", p.distSumMillis() / 1000.0 / n);
        into.put("sum", p.distSumMillis() / 1000.0);
        into.put("p50", p.percentileMillis(50) / 1000.0);
        into.put("p90", p.percentileMillis(90) / 1000.0);
        into.put("p99", p.percentileMillis(99) / 1000.0);
        return into;
    }

    /** A count: null when nothing was counted. */
    public static ObjectNode count(ObjectNode into, long n) {
        if (n == 0) {
            into.putNull("value");
        } else {
            into.put("value", n);
        }
        into.put("count", n);
        return into;
    }

    /** A money sum with the count of what was summed; null when there was nothing. */
    public static ObjectNode money(ObjectNode into, Parts p) {
        if (p.count() == 0 && p.sum().signum() == 0) {
            into.putNull("value");
        } else {
            into.put("value", p.sum());
        }
        into.put("count", p.count());
        into.put("sum", p.sum());
        return into;
    }

    /** A number beside the value, null when it cannot be computed. */
    public static ObjectNode number(ObjectNode into, String field, BigDecimal value) {
        if (value == null) {
            into.putNull(field);
        } else {
            into.put(field, value.doubleValue());
        }
        return into;
    }
}
