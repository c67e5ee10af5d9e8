package io.kpipeline.streams.event;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.EventType;

import java.util.Comparator;

/**
 * The order the contract applies an entity's events in: {@code occurredAt}, then by type (created, assigned or
 * updated, touchpoint, qualified or disqualified, converted, stage changed, closed, reopened, churned), then by
 * {@code eventId}. Never by arrival.
 */
public final class EventOrder {
    public static final Comparator<CrmEvent> ORDER = Comparator.comparing(CrmEvent::getOccurredAt)
            .thenComparingInt(e -> rank(e.getType()))
            .thenComparing(CrmEvent::getEventId);

    private EventOrder() {
    }

    static int rank(EventType type) {
        return switch (type) {
            case LeadCreated, DealCreated, SpendRecorded, ForecastSubmitted, TargetSet -> 0;
            case LeadAssigned, DealUpdated -> 1;
            case TouchpointLogged -> 2;
            case LeadQualified, LeadDisqualified -> 3;
            case LeadConverted -> 4;
            case DealStageChanged -> 5;
            case DealClosed -> 6;
            case DealReopened -> 7;
            case CustomerChurned -> 8;
        };
    }
}
