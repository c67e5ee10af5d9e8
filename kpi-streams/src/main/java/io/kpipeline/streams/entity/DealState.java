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
 * currency, whether it is open, won or lost now, the stage visits it made, and its history: what it was at each
 * instant one of its events changed it. A deal without its {@code DealCreated} does not exist yet.
 */
public record DealState(String dealId, Instant createdAt, String accountId, String leadId, DimKeys ownKeys,
                        String stage, BigDecimal amount, int contractMonths, DealType dealType,
                        DealOutcome outcome, Instant closedAt, List<StageVisit> visits, List<Touch> touches,
                        List<Moment> history) {

    /** Time in one stage; {@code exitedAt} is null while the deal is still in it. */
    public record StageVisit(String stage, Instant enteredAt, Instant exitedAt) {
    }

    /**
     * The deal at instant {@code at}, folded from its events up to and including that instant: open ({@code outcome}
     * null) or closed, its stage and its amount in the reporting currency at the rate of the day that set it.
     */
    public record Moment(Instant at, DealOutcome outcome, String stage, BigDecimal amount) {
        public boolean isOpen() {
            return outcome == null;
        }
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
        DimKeys keys = new DimKeys(c.getTeamId(), c.getRepId(), c.getRegion(), c.getProduct(), null, c.getSegment());
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
        List<Moment> history = new ArrayList<>();
        Amount converted = new Amount(fx);
        Instant created = createdEvent.getOccurredAt();
        for (int i = 0; i < ordered.size(); i++) {
            CrmEvent e = ordered.get(i);
            Instant at = e.getOccurredAt();
            if (e != createdEvent) {
                Object p = e.getPayload();
                if (p instanceof DealCreated again) {
                    // A second creation event (a CRM re-sync) refreshes the fields but not the creation time.
                    keys = refreshed(keys, again.getTeamId(), again.getRepId(), again.getRegion(), again.getProduct(), again.getSegment());
                } else if (p instanceof DealUpdated u) {
                    if (u.getAmount() != null || u.getCurrency() != null) {
                        rawAmount = u.getAmount() != null ? u.getAmount() : rawAmount;
                        currency = u.getCurrency() != null ? u.getCurrency() : currency;
                        amountDay = calendar.day(at);
                    }
                    keys = refreshed(keys, u.getTeamId(), u.getRepId(), u.getRegion(), u.getProduct(), u.getSegment());
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
            boolean lastOfInstant = i + 1 == ordered.size() || !ordered.get(i + 1).getOccurredAt().equals(at);
            if (lastOfInstant && !at.isBefore(created)) {
                // events before the creation count from it: the deal does not exist before
                Moment now = new Moment(at, outcome, stage, converted.of(rawAmount, currency, amountDay));
                Moment before = history.isEmpty() ? null : history.get(history.size() - 1);
                if (before == null || !sameState(before, now)) {
                    history.add(now);
                }
            }
        }
        if (outcome == null) {
            visits.add(new StageVisit(stage, enteredAt, null));
        }
        BigDecimal amount = converted.of(rawAmount, currency, amountDay);
        List<Touch> touchList = new ArrayList<>(touches.values());
        touchList.sort(Touch.ORDER);
        return new DealState(dealId, createdEvent.getOccurredAt(), accountId, leadId,
                keys, stage, amount,
                months, type, outcome, closedAt, visits, touchList, history);
    }

    /** The keys with each field an event names replaced (fields it leaves out are unchanged). */
    private static DimKeys refreshed(DimKeys k, String team, String rep, String region, String product, String segment) {
        return new DimKeys(team != null ? team : k.team(), rep != null ? rep : k.rep(), region != null ? region : k.region(),
                product != null ? product : k.product(), null, segment != null ? segment : k.segment());
    }

    private static boolean sameState(Moment a, Moment b) {
        return a.outcome() == b.outcome() && a.stage().equals(b.stage()) && a.amount().compareTo(b.amount()) == 0;
    }

    /** The amount in the reporting currency (the raw amount where no rate is known), converted again only when its inputs change. */
    private static final class Amount {
        private final FxRates fx;
        private String raw, currency;
        private LocalDate day;
        private BigDecimal value;

        Amount(FxRates fx) {
            this.fx = fx;
        }

        BigDecimal of(String raw, String currency, LocalDate day) {
            if (value == null || !raw.equals(this.raw) || !java.util.Objects.equals(currency, this.currency) || !day.equals(this.day)) {
                BigDecimal parsed = new BigDecimal(raw);
                BigDecimal c = fx.convert(parsed, currency, day);
                this.raw = raw;
                this.currency = currency;
                this.day = day;
                this.value = c == null ? parsed : c;
            }
            return value;
        }
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
