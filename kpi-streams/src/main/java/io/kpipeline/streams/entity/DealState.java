package io.kpipeline.streams.entity;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.DealClosed;
import io.kpipeline.avro.DealCreated;
import io.kpipeline.avro.DealOutcome;
import io.kpipeline.avro.DealReopened;
import io.kpipeline.avro.DealStageChanged;
import io.kpipeline.avro.DealType;
import io.kpipeline.avro.DealUpdated;
import io.kpipeline.avro.TouchpointLogged;
import io.kpipeline.streams.config.FxRates;
import io.kpipeline.streams.time.BusinessCalendar;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deal folded from all of its events in contract order: its latest fields, its amount in the reporting
 * currency, whether it is open, won or lost now, and the stage visits it made. A deal without its
 * {@code DealCreated} does not exist yet.
 */
public record DealState(String dealId, Instant createdAt, String accountId, String leadId, DimKeys ownKeys,
                        String stage, BigDecimal amount, int contractMonths, DealType dealType,
                        DealOutcome outcome, Instant closedAt, List<StageVisit> visits, List<Touch> touches) {

    /** Time in one stage; {@code exitedAt} is null while the deal is still in it. */
    public record StageVisit(String stage, Instant enteredAt, Instant exitedAt) {
    }

    public boolean isOpen() {
        return outcome == null;
    }

    public boolean isWon() {
        return outcome == DealOutcome.WON;
    }

    /** The folded deal, or null when it has not been created. */
    public static DealState fold(String dealId, List<CrmEvent> ordered, FxRates fx, BusinessCalendar calendar) {
        CrmEvent createdEvent = null;
        for (CrmEvent e : ordered) {
            if (e.getPayload() instanceof DealCreated) {
                createdEvent = e;
                break;
            }
        }
        if (createdEvent == null) {
            return null;
        }
        DealCreated c = (DealCreated) createdEvent.getPayload();
        String accountId = c.getAccountId(), leadId = c.getLeadId();
        String rep = c.getRepId(), team = c.getTeamId(), region = c.getRegion(), segment = c.getSegment(), product = c.getProduct();
        String rawAmount = c.getAmount(), currency = c.getCurrency();
        LocalDate amountDay = calendar.day(createdEvent.getOccurredAt());
        int months = c.getContractMonths() == null ? 12 : c.getContractMonths();
        DealType type = c.getDealType() == null ? DealType.NEW_BUSINESS : c.getDealType();
        String stage = c.getStage();
        DealOutcome outcome = null;
        Instant closedAt = null;
        List<StageVisit> visits = new ArrayList<>();
        Instant enteredAt = createdEvent.getOccurredAt();
        Map<String, Touch> touches = new LinkedHashMap<>();
        for (CrmEvent e : ordered) {
            if (e == createdEvent) {
                continue;
            }
            Instant at = e.getOccurredAt();
            Object p = e.getPayload();
            if (p instanceof DealCreated again) {
                // A second creation event (a CRM re-sync) refreshes the fields but not the creation time.
                rep = again.getRepId() != null ? again.getRepId() : rep;
                team = again.getTeamId() != null ? again.getTeamId() : team;
                region = again.getRegion() != null ? again.getRegion() : region;
                segment = again.getSegment() != null ? again.getSegment() : segment;
                product = again.getProduct() != null ? again.getProduct() : product;
            } else if (p instanceof DealUpdated u) {
                if (u.getAmount() != null || u.getCurrency() != null) {
                    rawAmount = u.getAmount() != null ? u.getAmount() : rawAmount;
                    currency = u.getCurrency() != null ? u.getCurrency() : currency;
                    amountDay = calendar.day(at);
                }
                rep = u.getRepId() != null ? u.getRepId() : rep;
                team = u.getTeamId() != null ? u.getTeamId() : team;
                region = u.getRegion() != null ? u.getRegion() : region;
                segment = u.getSegment() != null ? u.getSegment() : segment;
                product = u.getProduct() != null ? u.getProduct() : product;
                months = u.getContractMonths() != null ? u.getContractMonths() : months;
                type = u.getDealType() != null ? u.getDealType() : type;
            } else if (p instanceof TouchpointLogged t) {
                Touch.fold(touches, e, t);
            } else if (p instanceof DealStageChanged s) {
                if (outcome == null && !s.getToStage().equals(stage)) {
                    visits.add(new StageVisit(stage, enteredAt, max(enteredAt, at)));
                    enteredAt = at;
                }
                stage = s.getToStage();
            } else if (p instanceof DealClosed cl) {
                if (outcome == null) {
                    visits.add(new StageVisit(stage, enteredAt, max(enteredAt, at)));
                }
                outcome = cl.getOutcome();
                closedAt = at;
                if (cl.getAmount() != null) {
                    rawAmount = cl.getAmount();
                    currency = cl.getCurrency() != null ? cl.getCurrency() : currency;
                    amountDay = calendar.day(at);
                }
            } else if (p instanceof DealReopened r) {
                if (outcome == null) {
                    // reopening a deal that is open is a stage change at most
                    if (!r.getStage().equals(stage)) {
                        visits.add(new StageVisit(stage, enteredAt, max(enteredAt, at)));
                        enteredAt = at;
                    }
                } else {
                    enteredAt = at;
                }
                outcome = null;
                closedAt = null;
                stage = r.getStage();
            }
        }
        if (outcome == null) {
            visits.add(new StageVisit(stage, enteredAt, null));
        }
        BigDecimal raw = new BigDecimal(rawAmount);
        BigDecimal amount = fx.convert(raw, currency, amountDay);
        List<Touch> touchList = new ArrayList<>(touches.values());
        touchList.sort(Touch.ORDER);
        return new DealState(dealId, createdEvent.getOccurredAt(), accountId, leadId,
                new DimKeys(team, rep, region, product, null, segment), stage, amount == null ? raw : amount,
                months, type, outcome, closedAt, visits, touchList);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
