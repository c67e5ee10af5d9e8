package io.kpipeline.streams.contrib;

import io.kpipeline.avro.DealOutcome;
import io.kpipeline.streams.measure.FlowPart;
import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.entity.DealState.Moment;
import io.kpipeline.streams.entity.DimKeys;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A deal's part in the pipeline over time, from its history: each change of what it holds in the open pipeline as
 * a delta of the level by stage ({@link Measure#PIPELINE_LEVEL}: summed over all time before an instant, the open
 * pipeline then), and each change classified as one part of the waterfall ({@link Measure#PIPELINE_FLOW}). A change
 * is a delta, so a year of history costs a deal nothing per day, and a late event changes only the deltas it moves.
 */
final class PipelineContributions {
    private PipelineContributions() {
    }

    static void add(List<Moment> history, DimKeys keys, List<Contribution> out) {
        Moment before = null;
        for (Moment now : history) {
            boolean wasOpen = before != null && before.isOpen();
            Instant at = now.at();
            if (wasOpen && now.isOpen()) {
                BigDecimal change = now.amount().subtract(before.amount());
                if (before.stage().equals(now.stage())) {
                    level(now.stage(), at, keys, 0, change, out);
                } else {
                    level(before.stage(), at, keys, -1, before.amount().negate(), out);
                    level(now.stage(), at, keys, 1, now.amount(), out);
                }
                amountChange(change, at, keys, out);
            } else if (wasOpen) {
                // a close that carries an amount first changes the amount, then closes at it
                level(before.stage(), at, keys, -1, before.amount().negate(), out);
                amountChange(now.amount().subtract(before.amount()), at, keys, out);
                flow(now.outcome() == DealOutcome.WON ? FlowPart.WON : FlowPart.LOST, at, keys, now.amount(), out);
            } else if (now.isOpen()) {
                level(now.stage(), at, keys, 1, now.amount(), out);
                flow(before == null ? FlowPart.CREATED : FlowPart.REOPENED, at, keys, now.amount(), out);
            }
            // closed before and after: changes to a closed deal do not touch the pipeline
            before = now;
        }
    }

    private static void level(String stage, Instant at, DimKeys keys, long count, BigDecimal amount, List<Contribution> out) {
        out.add(new Contribution(Measure.PIPELINE_LEVEL, stage, at, keys, count, amount, -1));
    }

    private static void amountChange(BigDecimal change, Instant at, DimKeys keys, List<Contribution> out) {
        if (change.signum() != 0) {
            flow(change.signum() > 0 ? FlowPart.INCREASED : FlowPart.DECREASED, at, keys, change.abs(), out);
        }
    }

    private static void flow(FlowPart part, Instant at, DimKeys keys, BigDecimal amount, List<Contribution> out) {
        out.add(new Contribution(Measure.PIPELINE_FLOW, part.id(), at, keys, 1, amount, -1));
    }
}
