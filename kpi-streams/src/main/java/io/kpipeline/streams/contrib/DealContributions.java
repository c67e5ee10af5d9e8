package io.kpipeline.streams.contrib;

import io.kpipeline.avro.DealType;
import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.entity.DealKeys;
import io.kpipeline.streams.entity.DealState;
import io.kpipeline.streams.entity.DimKeys;
import io.kpipeline.streams.facts.LeadFacts;
import io.kpipeline.streams.entity.Touch;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The contributions of a deal: created, won or lost at its close, its stage visits, its open pipeline now and over
 * time, and the touchpoints logged on the deal alone. Its keys are its own latest fields, each one it lacks taken from its
 * source lead; its source is always its lead's. {@code lead}: what its source lead told it (null: none exists).
 */
public final class DealContributions {
    private static final BigDecimal TWELVE = BigDecimal.valueOf(12);

    private DealContributions() {
    }

    public static List<Contribution> of(DealState deal, LeadFacts lead) {
        List<Contribution> out = new ArrayList<>();
        if (deal == null) {
            return out;
        }
        DimKeys keys = DealKeys.of(deal, lead == null ? null : lead.keys());
        out.add(Contribution.count(Measure.DEALS_CREATED, deal.createdAt(), keys));
        if (deal.isWon()) {
            Instant at = deal.closedAt();
            out.add(Contribution.count(Measure.DEALS_CREATED_WON, deal.createdAt(), keys));
            out.add(Contribution.money(Measure.DEALS_WON, at, keys, deal.amount()));
            BigDecimal acv = deal.amount().multiply(TWELVE)
                    .divide(BigDecimal.valueOf(Math.max(deal.contractMonths(), 12)), 10, RoundingMode.HALF_EVEN)
                    .stripTrailingZeros();
            out.add(Contribution.money(Measure.ACV, at, keys, acv));
            Instant start = lead != null && lead.firstContactAt() != null ? lead.firstContactAt() : deal.createdAt();
            out.add(Contribution.duration(Measure.SALES_CYCLE, "", at, keys, Duration.between(start, at).toMillis()));
            if (deal.dealType() == DealType.UPSELL || deal.dealType() == DealType.CROSS_SELL) {
                out.add(Contribution.money(Measure.UPSELL_WON, at, keys, deal.amount()));
            }
        } else if (!deal.isOpen()) {
            out.add(Contribution.count(Measure.DEALS_LOST, deal.closedAt(), keys));
        }
        if (!deal.isOpen()) {
            // each touchpoint on the deal or its source lead once; the lead counts its calls the deal lacks
            long calls = deal.touches().stream().filter(t -> t.channel().equals("CALL")).count()
                    + (lead == null ? 0 : lead.callsNotOnDeal());
            out.add(new Contribution(Measure.CALLS_CLOSED, "", deal.closedAt(), keys, 1, BigDecimal.valueOf(calls), -1));
        } else {
            out.add(new Contribution(Measure.PIPELINE_OPEN, deal.stage(), null, keys, 1, deal.amount(), -1));
        }
        for (DealState.StageVisit v : deal.visits()) {
            if (v.exitedAt() != null) {
                out.add(Contribution.duration(Measure.STAGE_DURATION, v.stage(), v.exitedAt(), keys,
                        Duration.between(v.enteredAt(), v.exitedAt()).toMillis()));
            }
        }
        PipelineContributions.add(deal.history(), keys, out);
        for (Touch t : deal.touches()) {
            TouchContributions.add(t, keys.withRep(t.repId()), out);
        }
        return out;
    }

}
