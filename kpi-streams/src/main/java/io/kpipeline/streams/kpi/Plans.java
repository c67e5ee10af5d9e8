package io.kpipeline.streams.kpi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.avro.TargetMetric;
import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.aggregate.Parts;
import io.kpipeline.streams.time.Grain;

import java.math.BigDecimal;
import java.math.MathContext;

/** Forecast accuracy and target attainment: the latest forecast or target of a scope against what happened. */
public final class Plans {
    private Plans() {
    }

    static void forecastAccuracy(Slice s, ObjectNode p) {
        Parts forecast = s.reader().get(Measure.FORECAST, s.dimension(), s.grain(), s.period(), s.key(), s.grain().id());
        BigDecimal actual = s.parts(Measure.DEALS_WON).sum();
        if (forecast.count() == 0) {
            p.putNull("value");
            return;
        }
        BigDecimal f = forecast.sum();
        p.put("forecast", f);
        p.put("actual", actual);
        if (actual.signum() == 0) {
            p.putNull("value");
            p.putNull("bias");
            return;
        }
        BigDecimal error = actual.subtract(f).abs().divide(actual, MathContext.DECIMAL64);
        p.put("value", BigDecimal.ONE.subtract(error).doubleValue());
        p.put("bias", f.subtract(actual).divide(actual, MathContext.DECIMAL64).doubleValue());
    }

    static void targetAttainment(Slice s, ObjectNode p) {
        ObjectNode by = p.putObject("byMetric");
        Double value = null;
        for (TargetMetric metric : TargetMetric.values()) {
            BigDecimal target = target(s, metric.name(), s.grain(), s.period());
            if (target == null) {
                continue;
            }
            ObjectNode one = Points.ratio(by.putObject(metric.name()), actual(s, metric), target);
            if (value == null && one.hasNonNull("value")) {
                value = one.get("value").asDouble();
            }
        }
        if (by.has("revenue")) {
            value = by.get("revenue").hasNonNull("value") ? by.get("revenue").get("value").asDouble() : null;
        }
        if (value == null) {
            p.putNull("value");
        } else {
            p.put("value", value);
        }
    }

    private static BigDecimal actual(Slice s, TargetMetric metric) {
        return switch (metric) {
            case revenue -> s.parts(Measure.DEALS_WON).sum();
            case sql_count -> BigDecimal.valueOf(s.count(Measure.SQL));
            case new_customers -> BigDecimal.valueOf(s.count(Measure.NEW_CUSTOMERS));
            case pipeline_value -> PipelineHistory.closing(s).sum();
        };
    }

    /** The target set for a metric in a period of the slice's scope, or null. */
    public static BigDecimal target(Slice s, String metric, Grain g, int period) {
        Parts t = s.reader().get(Measure.TARGET, s.dimension(), g, period, s.key(), metric + "/" + g.id());
        return t.count() == 0 ? null : t.sum();
    }

    /** The target of the current month, else of the current quarter. */
    static BigDecimal currentTarget(Slice s, String metric) {
        BigDecimal month = target(s, metric, Grain.MONTH, Grain.MONTH.ordinalOf(s.today()));
        return month != null ? month : target(s, metric, Grain.QUARTER, Grain.QUARTER.ordinalOf(s.today()));
    }
}
