package io.kpipeline.streams.entity;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.TouchpointDirection;
import io.kpipeline.avro.TouchpointLogged;
import io.kpipeline.avro.TouchpointOutcome;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One touchpoint as the KPIs see it; a touchpoint id logged again keeps its first time and takes the later fields. */
public record Touch(String id, Instant at, String eventId, String channel, boolean outbound, TouchpointOutcome outcome,
                    String repId, String leadId, String dealId) {

    public static final Comparator<Touch> ORDER = Comparator.comparing(Touch::at).thenComparing(Touch::eventId);

    static Touch of(CrmEvent e, TouchpointLogged t) {
        return new Touch(t.getTouchpointId(), e.getOccurredAt(), e.getEventId(), t.getChannel().name(),
                t.getDirection() != TouchpointDirection.INBOUND,
                t.getOutcome() == null ? TouchpointOutcome.NONE : t.getOutcome(), t.getRepId(), t.getLeadId(), t.getDealId());
    }

    /** Folds an ordered sequence of touchpoint events into distinct touchpoints by id. */
    static void fold(Map<String, Touch> byId, CrmEvent e, TouchpointLogged t) {
        Touch next = of(e, t);
        Touch first = byId.get(next.id());
        byId.put(next.id(), first == null ? next
                : new Touch(first.id, first.at, first.eventId, next.channel, next.outbound, next.outcome, next.repId, next.leadId, next.dealId));
    }

    /** The distinct touchpoints of several entities, in event order. */
    public static List<Touch> union(Collection<Touch> a, Collection<Touch> b) {
        Map<String, Touch> byId = new LinkedHashMap<>();
        for (Touch t : a) {
            byId.putIfAbsent(t.id, t);
        }
        for (Touch t : b) {
            byId.putIfAbsent(t.id, t);
        }
        List<Touch> all = new ArrayList<>(byId.values());
        all.sort(ORDER);
        return all;
    }
}
