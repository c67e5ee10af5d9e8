package io.kpipeline.streams.kpi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.streams.measure.FlowPart;
import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.aggregate.Parts;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;

/**
 * The open pipeline over time, from the deals' level changes ({@link Measure#PIPELINE_LEVEL}) and the parts of its
 * movement ({@link Measure#PIPELINE_FLOW}). "At the end of a period" is the pipeline after every change before the
 * next period starts, or after every change up to today for a period not yet ended; the opening of a period is the
 * closing of the one before, so each change falls in exactly one period and the waterfall adds up.
 */
final class PipelineHistory {
    private PipelineHistory() {
    }

    /** The day before which changes are summed for the pipeline at the end of the slice's period. */
    static LocalDate endOf(Slice s) {
        return earlier(s.grain().end(s.period()), s.today().plusDays(1));
    }

    /** The day before which changes are summed for the pipeline at the start of the slice's period. */
    static LocalDate startOf(Slice s) {
        return earlier(s.grain().start(s.period()), s.today().plusDays(1));
    }

    /** The open pipeline (count of deals, sum of amounts) at the end of the slice's period. */
    static Parts closing(Slice s) {
        return Levels.before(s, Measure.PIPELINE_LEVEL, endOf(s));
    }

    /** The same by stage. */
    static Map<String, Parts> closingByStage(Slice s) {
        return Levels.subsBefore(s, Measure.PIPELINE_LEVEL, endOf(s));
    }

    /** The pipeline's waterfall in the slice's period: opening, each part, closing, and value = closing - opening. */
    static void flow(Slice s, ObjectNode p) {
        Parts opening = Levels.before(s, Measure.PIPELINE_LEVEL, startOf(s));
        Parts closing = closing(s);
        Map<String, Parts> parts = s.subs(Measure.PIPELINE_FLOW);
        boolean empty = opening.isZero() && closing.isZero() && parts.isEmpty();
        if (empty) {
            p.putNull("value");
        } else {
            p.put("value", closing.sum().subtract(opening.sum()));
        }
        part(p, "opening", opening);
        for (FlowPart f : FlowPart.WATERFALL) {
            part(p, f.id(), parts.getOrDefault(f.id(), new Parts()));
        }
        part(p, "closing", closing);
    }

    /** The pipeline-value target set for the slice's period, or null. */
    static BigDecimal target(Slice s) {
        return Plans.target(s, "pipeline_value", s.grain(), s.period());
    }

    private static void part(ObjectNode p, String name, Parts parts) {
        p.putObject(name).put("count", parts.count()).put("value", parts.sum());
    }

    private static LocalDate earlier(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }
}
