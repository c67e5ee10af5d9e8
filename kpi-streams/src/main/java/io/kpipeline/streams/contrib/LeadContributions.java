package io.kpipeline.streams.contrib;

import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.config.EngineSettings;
import io.kpipeline.streams.entity.FirstMeeting;
import io.kpipeline.streams.entity.LeadTouches;
import io.kpipeline.streams.facts.DealFacts;
import io.kpipeline.streams.entity.DimKeys;
import io.kpipeline.streams.entity.LeadState;
import io.kpipeline.streams.entity.Touch;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The contributions of a lead: its funnel counts at its creation, its SQL at qualification, its first meeting
 * (its own), and each touchpoint logged on it ({@link #touch}, apart, so that a new touchpoint adds its own without
 * recounting the others). {@code deals} are what its deals told it, in deal id order: for the won-SQL cohort, the
 * product of its opportunity and the deals' own touchpoints, which count towards its first meeting.
 */
public final class LeadContributions {
    private LeadContributions() {
    }

    /** The lead's own contributions, a handful whatever its history. */
    public static List<Contribution> of(LeadState lead, List<DealFacts> deals, FirstMeeting meeting, EngineSettings settings) {
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
            if (lead.touches().outbound() >= 2) {
                out.add(Contribution.count(Measure.LEAD_FOLLOWED_UP, lead.createdAt(), keys));
            }
        }
        if (!lead.convertedDeals().isEmpty()) {
            out.add(Contribution.count(Measure.LEAD_CONVERTED, lead.createdAt(), keys));
        }
        String product = null;
        boolean won = false;
        for (DealFacts d : deals) {
            if (product == null) {
                product = d.product();
            }
            won |= d.won();
        }
        if (lead.sqlAt() != null) {
            DimKeys sqlKeys = keys.withProduct(product);
            out.add(Contribution.count(Measure.SQL, lead.sqlAt(), sqlKeys));
            if (won) {
                out.add(Contribution.count(Measure.SQL_WON, lead.sqlAt(), sqlKeys));
            }
        }
        if (meeting != null) {
            out.add(new Contribution(Measure.FIRST_MEETING, "", meeting.at(), keys, 1, BigDecimal.valueOf(meeting.index()), -1));
        }
        return out;
    }

    /** What one touchpoint of the lead contributes, under the keys the lead's basis gives it. */
    public static void touch(Touch t, LeadTouches.Basis basis, List<Contribution> out) {
        TouchContributions.add(t, basis.keysOf(t), out);
    }

    /** What the lead's touchpoints are counted under: null while it does not exist. */
    public static LeadTouches.Basis basis(LeadState lead, List<DealFacts> deals) {
        if (lead == null) {
            return null;
        }
        TreeMap<String, String> products = new TreeMap<>();
        for (DealFacts d : deals) {
            products.put(d.dealId(), d.product());
        }
        return new LeadTouches.Basis(lead.keys(), products);
    }

    /** The first booked meeting among the lead's touchpoints (in order) and its deals' (the lead's copy of an id first). */
    public static FirstMeeting firstMeeting(List<Touch> leadTouches, List<DealFacts> deals) {
        List<Touch> dealTouches = new ArrayList<>();
        for (DealFacts d : deals) {
            dealTouches.addAll(d.touches());
        }
        return FirstMeeting.of(Touch.union(leadTouches, dealTouches));
    }
}
