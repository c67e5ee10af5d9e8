package io.kpipeline.streams.entity;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.LeadAssigned;
import io.kpipeline.avro.LeadConverted;
import io.kpipeline.avro.LeadCreated;
import io.kpipeline.avro.LeadDisqualified;
import io.kpipeline.avro.LeadQualified;
import io.kpipeline.avro.QualificationLevel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A lead folded from its events in contract order, with the summary of its touchpoints (kept apart, in
 * {@link TouchLog}, so that a touchpoint does not refold the lead). A lead without its {@code LeadCreated} does not
 * exist yet (its other events wait in its event set).
 */
public record LeadState(String leadId, Instant createdAt, DimKeys keys, TouchSummary touches, Instant sqlAt,
                        Instant disqualifiedAt, List<String> convertedDeals, String convertedAccount) {

    /** Its first outbound touchpoint's time, or null. */
    public Instant firstContactAt() {
        return touches.firstOutboundAt();
    }

    /**
     * The folded lead, or null when it has not been created.
     *
     * @param ordered its events other than touchpoints, in contract order
     */
    public static LeadState fold(String leadId, List<CrmEvent> ordered, TouchSummary touches) {
        Instant createdAt = null;
        String team = null, rep = null, region = null, segment = null, source = null;
        Instant sqlAt = null, disqualifiedAt = null;
        List<String> deals = new ArrayList<>();
        String account = null;
        for (CrmEvent e : ordered) {
            Object p = e.getPayload();
            if (p instanceof LeadCreated c) {
                if (createdAt == null) {
                    createdAt = e.getOccurredAt();
                }
                team = c.getTeamId();
                rep = c.getRepId();
                region = c.getRegion();
                segment = c.getSegment();
                source = c.getSource();
            } else if (p instanceof LeadAssigned a) {
                rep = a.getRepId();
                if (a.getTeamId() != null) {
                    team = a.getTeamId();
                }
            } else if (p instanceof LeadQualified q) {
                if (q.getLevel() == QualificationLevel.SQL && sqlAt == null) {
                    sqlAt = e.getOccurredAt();
                }
            } else if (p instanceof LeadDisqualified) {
                disqualifiedAt = e.getOccurredAt();
            } else if (p instanceof LeadConverted c) {
                if (!deals.contains(c.getDealId())) {
                    deals.add(c.getDealId());
                }
                if (c.getAccountId() != null) {
                    account = c.getAccountId();
                }
            }
        }
        if (createdAt == null) {
            return null;
        }
        return new LeadState(leadId, createdAt, new DimKeys(team, rep, region, null, source, segment), touches,
                sqlAt, disqualifiedAt, deals, account);
    }
}
