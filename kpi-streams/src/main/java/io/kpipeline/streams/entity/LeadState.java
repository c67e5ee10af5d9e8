package io.kpipeline.streams.entity;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.LeadAssigned;
import io.kpipeline.avro.LeadConverted;
import io.kpipeline.avro.LeadCreated;
import io.kpipeline.avro.LeadDisqualified;
import io.kpipeline.avro.LeadQualified;
import io.kpipeline.avro.QualificationLevel;
import io.kpipeline.avro.TouchpointLogged;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lead folded from all of its events in contract order. A lead without its {@code LeadCreated} does not exist
 * yet (its other events wait in its event set).
 */
public record LeadState(String leadId, Instant createdAt, DimKeys keys, List<Touch> touches, Instant firstContactAt,
                        int outboundTouches, Instant sqlAt, Instant disqualifiedAt, List<String> convertedDeals,
                        String convertedAccount) {

    /** The folded lead, or null when it has not been created. */
    public static LeadState fold(String leadId, List<CrmEvent> ordered) {
        Instant createdAt = null;
        String team = null, rep = null, region = null, segment = null, source = null;
        Map<String, Touch> touches = new LinkedHashMap<>();
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
            } else if (p instanceof TouchpointLogged t) {
                Touch.fold(touches, e, t);
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
        List<Touch> list = new ArrayList<>(touches.values());
        list.sort(Touch.ORDER);
        Instant firstContact = null;
        int outbound = 0;
        for (Touch t : list) {
            if (t.outbound()) {
                outbound++;
                if (firstContact == null) {
                    firstContact = t.at();
                }
            }
        }
        return new LeadState(leadId, createdAt, new DimKeys(team, rep, region, null, source, segment), list,
                firstContact, outbound, sqlAt, disqualifiedAt, deals, account);
    }
}
