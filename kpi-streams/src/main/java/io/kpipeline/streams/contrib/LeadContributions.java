package io.kpipeline.streams.contrib;

import io.kpipeline.avro.TouchpointOutcome;
import io.kpipeline.streams.aggregate.Measure;
import io.kpipeline.streams.config.EngineSettings;
import io.kpipeline.streams.facts.DealFacts;
import io.kpipeline.streams.entity.DimKeys;
import io.kpipeline.streams.entity.LeadState;
import io.kpipeline.streams.entity.Touch;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The contributions of a lead: its funnel counts at its creation, its SQL at qualification, its first meeting,
 * and the touchpoints logged on it. {@code deals} are what its deals told it, in deal id order (the deals it is the source lead of (for the won-SQL
 * cohort, the product of its opportunity and the touchpoints up to its first meeting).
 */
public final class LeadContributions {
    private LeadContributions() {
    }

    public static List<Contribution> of(LeadState lead, List<DealFacts> deals, EngineSettings settings) {
        List<Contribution> out = new ArrayList<>();
        if (lead == null) {
            return out;
        }
        DimKeys keys = lead.keys();
        out.add(Contribution.count(Measure.LEADS_CREATED, lead.createdAt(), keys));
        if (lead.firstContactAt() != null) {
            Duration wait = Duration.between(lead.createdAt(), lead.firstContactAt());
            out.add(Contribution.duration(Measure.LEAD_RESPONSE, "", lead.createdAt(), keys, wait.toMillis()));
            if (wait.compareTo(settings.slaFor(keys.source(), keys.segment())) <= 0) {
                out.add(Contribution.count(Measure.LEAD_WITHIN_SLA, lead.createdAt(), keys));
            }
            if (lead.outboundTouches() >= 2) {
                out.add(Contribution.count(Measure.LEAD_FOLLOWED_UP, lead.createdAt(), keys));
            }
        }
        if (!lead.convertedDeals().isEmpty()) {
            out.add(Contribution.count(Measure.LEAD_CONVERTED, lead.createdAt(), keys));
        }
        Map<String, DealFacts> dealsById = new java.util.HashMap<>();
        String product = null;
        boolean won = false;
        List<Touch> dealTouches = new ArrayList<>();
        for (DealFacts d : deals) {
            dealsById.put(d.dealId(), d);
            if (product == null) {
                product = d.product();
            }
            won |= d.won();
            dealTouches.addAll(d.touches());
        }
        if (lead.sqlAt() != null) {
            DimKeys sqlKeys = keys.withProduct(product);
            out.add(Contribution.count(Measure.SQL, lead.sqlAt(), sqlKeys));
            if (won) {
                out.add(Contribution.count(Measure.SQL_WON, lead.sqlAt(), sqlKeys));
            }
        }
        firstMeeting(Touch.union(lead.touches(), dealTouches), keys, out);
        for (Touch t : lead.touches()) {
            DealFacts deal = t.dealId() == null ? null : dealsById.get(t.dealId());
            TouchContributions.add(t, keys.withRep(t.repId()).withProduct(deal == null ? null : deal.product()), out);
        }
        return out;
    }

    /** Touchpoints up to and including the earliest booked meeting, at that booking. */
    private static void firstMeeting(List<Touch> ordered, DimKeys keys, List<Contribution> out) {
        for (int i = 0; i < ordered.size(); i++) {
            Touch t = ordered.get(i);
            if (t.outcome() == TouchpointOutcome.MEETING_BOOKED) {
                out.add(new Contribution(Measure.FIRST_MEETING, "", t.at(), keys, 1, BigDecimal.valueOf(i + 1L), -1));
                return;
            }
        }
    }
}
