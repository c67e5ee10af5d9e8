package io.kpipeline.connectors.simulate;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.CustomerChurned;
import io.kpipeline.avro.DealClosed;
import io.kpipeline.avro.DealCreated;
import io.kpipeline.avro.DealOutcome;
import io.kpipeline.avro.DealStageChanged;
import io.kpipeline.avro.DealType;
import io.kpipeline.avro.DealUpdated;
import io.kpipeline.avro.EventType;
import io.kpipeline.avro.ForecastSubmitted;
import io.kpipeline.avro.LeadAssigned;
import io.kpipeline.avro.LeadConverted;
import io.kpipeline.avro.LeadCreated;
import io.kpipeline.avro.LeadDisqualified;
import io.kpipeline.avro.LeadQualified;
import io.kpipeline.avro.QualificationLevel;
import io.kpipeline.avro.SpendCategory;
import io.kpipeline.avro.SpendRecorded;
import io.kpipeline.avro.TargetMetric;
import io.kpipeline.avro.TargetSet;
import io.kpipeline.avro.TouchpointChannel;
import io.kpipeline.avro.TouchpointDirection;
import io.kpipeline.avro.TouchpointLogged;
import io.kpipeline.avro.TouchpointOutcome;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * A simulated CRM: teams of reps in regions, leads from several sources arriving every day, response times from
 * seconds to days (and some leads never contacted), qualification, conversion to deals that move through stages
 * over weeks, wins, losses, upsells, churn, monthly spend, forecasts and targets. Deterministic for a seed.
 * Events come out in event-time order; {@link #advanceTo} yields everything that has happened by an instant.
 */
public final class CrmSimulator {
    static final String[] TEAMS = {"T-emea", "T-amer", "T-apac"};
    static final String[] REGIONS = {"EMEA", "AMER", "APAC"};
    static final String[] SEGMENTS = {"SMB", "MID", "ENT"};
    static final String[] SOURCES = {"inbound-web", "outbound", "referral", "paid-search", "events"};
    static final String[] PRODUCTS = {"analytics", "crm-suite", "forecasting", "data-hub"};
    static final String[] STAGES = {"discovery", "qualification", "proposal", "negotiation"};
    static final int REPS_PER_TEAM = 4;

    private final Random random;
    private final int leadsPerDay;
    private final int meanTouches;
    private final PriorityQueue<CrmEvent> pending = new PriorityQueue<>(
            Comparator.comparing(CrmEvent::getOccurredAt).thenComparing(CrmEvent::getEventId));
    private final List<String> customers = new ArrayList<>();
    private LocalDate nextDay;
    private YearMonth nextMonth;
    private long seq;

    public CrmSimulator(long seed, int leadsPerDay, LocalDate start) {
        this(seed, leadsPerDay, start, 3);
    }

    /**
     * {@code meanTouches}: touchpoints logged on a contacted lead, on average (from 1 to twice that less one), over
     * about the same span of time whatever their number; more of them give a longer history to the same leads,
     * deals and accounts.
     */
    public CrmSimulator(long seed, int leadsPerDay, LocalDate start, int meanTouches) {
        if (meanTouches < 1) {
            throw new IllegalArgumentException("meanTouches must be at least 1, not " + meanTouches);
        }
        this.random = new Random(seed);
        this.leadsPerDay = leadsPerDay;
        this.meanTouches = meanTouches;
        this.nextDay = start;
        this.nextMonth = YearMonth.from(start);
    }

    /** Every event that has happened by {@code until}, in event-time order. */
    public List<CrmEvent> advanceTo(Instant until) {
        LocalDate lastDay = until.atZone(ZoneOffset.UTC).toLocalDate();
        while (!nextDay.isAfter(lastDay)) {
            if (!YearMonth.from(nextDay).isBefore(nextMonth)) {
                month(nextMonth);
                nextMonth = nextMonth.plusMonths(1);
            }
            day(nextDay);
            nextDay = nextDay.plusDays(1);
        }
        List<CrmEvent> out = new ArrayList<>();
        while (!pending.isEmpty() && !pending.peek().getOccurredAt().isAfter(until)) {
            out.add(pending.poll());
        }
        return out;
    }

    private void month(YearMonth m) {
        Instant first = m.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        String period = m.toString();
        for (String source : SOURCES) {
            emit(first, new SpendRecorded(id("S"), SpendCategory.MARKETING, money(2000, 9000), null, m.atDay(1), m.atEndOfMonth(), source, null));
        }
        for (String team : TEAMS) {
            emit(first, new SpendRecorded(id("S"), SpendCategory.SALES, money(15000, 30000), null, m.atDay(1), m.atEndOfMonth(), null, team));
            for (int r = 1; r <= REPS_PER_TEAM; r++) {
                String rep = rep(team, r);
                emit(first, new TargetSet(id("TG"), period, TargetMetric.revenue, money(40000, 90000), rep, null));
                emit(first, new ForecastSubmitted(id("F"), period, money(30000, 80000), null, rep, null));
                // reps revise their forecast mid-month; the later one replaces the first
                emit(first.plus(Duration.ofDays(14)), new ForecastSubmitted(id("F"), period, money(30000, 80000), null, rep, null));
            }
        }
        emit(first, new TargetSet(id("TG"), period, TargetMetric.pipeline_value, money(600000, 900000), null, null));
        emit(first, new TargetSet(id("TG"), period, TargetMetric.sql_count, new BigDecimal(leadsPerDay * 6).toPlainString(), null, null));
        // a few customers churn every month
        for (int i = 0; i < customers.size() / 40 + (random.nextInt(3) == 0 ? 1 : 0) && !customers.isEmpty(); i++) {
            String account = customers.remove(random.nextInt(customers.size()));
            emit(first.plus(Duration.ofHours(24L * random.nextInt(27) + 10)), new CustomerChurned(account, "budget"));
        }
    }

    private void day(LocalDate d) {
        Instant dayStart = d.atStartOfDay().toInstant(ZoneOffset.UTC);
        int n = Math.max(0, (int) Math.round(leadsPerDay * (0.7 + 0.6 * random.nextDouble())));
        for (int i = 0; i < n; i++) {
            lead(dayStart.plusSeconds(8 * 3600 + random.nextInt(10 * 3600)));
        }
        // existing customers buy more now and then
        if (!customers.isEmpty() && random.nextInt(4) == 0) {
            String account = customers.get(random.nextInt(customers.size()));
            int team = random.nextInt(TEAMS.length);
            deal(dayStart.plusSeconds(10 * 3600), null, account, team, rep(TEAMS[team], 1 + random.nextInt(REPS_PER_TEAM)),
                    random.nextBoolean() ? DealType.UPSELL : DealType.CROSS_SELL, null);
        }
    }

    private void lead(Instant created) {
        String leadId = id("L");
        int team = random.nextInt(TEAMS.length);
        String rep = rep(TEAMS[team], 1 + random.nextInt(REPS_PER_TEAM));
        String source = SOURCES[random.nextInt(SOURCES.length)];
        emit(created, new LeadCreated(leadId, rep, TEAMS[team], REGIONS[team], SEGMENTS[random.nextInt(SEGMENTS.length)], source, null));
        if (random.nextInt(25) == 0) {
            int r2 = 1 + random.nextInt(REPS_PER_TEAM);
            rep = rep(TEAMS[team], r2);
            emit(created.plusSeconds(600 + random.nextInt(3600)), new LeadAssigned(leadId, rep, TEAMS[team]));
        }
        if (random.nextInt(100) < 12) {
            if (random.nextBoolean()) {
                emit(created.plus(Duration.ofDays(2 + random.nextInt(5))), new LeadDisqualified(leadId, "no response"));
            }
            return; // never contacted
        }
        // response time: log-normal around ~8 minutes, from seconds to days
        long wait = Math.min(Duration.ofDays(4).toSeconds(), Math.max(5, (long) Math.exp(6.2 + 1.9 * random.nextGaussian())));
        Instant t = created.plusSeconds(wait);
        int touches = 1 + random.nextInt(2 * meanTouches - 1);
        boolean meeting = random.nextInt(100) < 45;
        for (int i = 0; i < touches; i++) {
            TouchpointChannel channel = i == 0 ? (random.nextBoolean() ? TouchpointChannel.CALL : TouchpointChannel.EMAIL)
                    : TouchpointChannel.values()[random.nextInt(TouchpointChannel.values().length)];
            TouchpointOutcome outcome = i == touches - 1 && meeting ? TouchpointOutcome.MEETING_BOOKED
                    : switch (random.nextInt(8)) {
                        case 0 -> TouchpointOutcome.POSITIVE;
                        case 1 -> TouchpointOutcome.NEGATIVE;
                        case 2 -> TouchpointOutcome.MEETING_DECLINED;
                        default -> TouchpointOutcome.NONE;
                    };
            emit(t, new TouchpointLogged(id("TP"), leadId, null, rep, channel,
                    i > 0 && random.nextInt(5) == 0 ? TouchpointDirection.INBOUND : TouchpointDirection.OUTBOUND, outcome));
            // 4 to 76 hours apart with the default 3 touchpoints; closer with more, so a lead's touchpoints span
            // about the same weeks whatever their number (and a history of more of them ends when it would)
            t = t.plus(Duration.ofMinutes((4 + random.nextInt(72)) * 60L * 3 / meanTouches));
        }
        if (random.nextInt(100) >= (meeting ? 70 : 20)) {
            return;
        }
        emit(t, new LeadQualified(leadId, QualificationLevel.MQL));
        t = t.plus(Duration.ofHours(2 + random.nextInt(96)));
        emit(t, new LeadQualified(leadId, QualificationLevel.SQL));
        if (random.nextInt(100) >= 60) {
            return;
        }
        t = t.plus(Duration.ofHours(1 + random.nextInt(48)));
        String account = id("A");
        String dealId = id("D");
        emit(t, new LeadConverted(leadId, dealId, account));
        deal(t, dealId, account, team, rep, DealType.NEW_BUSINESS, leadId);
    }

    private void deal(Instant created, String dealIdOrNull, String account, int team, String rep, DealType type, String leadId) {
        String dealId = dealIdOrNull == null ? id("D") : dealIdOrNull;
        String amount = type == DealType.NEW_BUSINESS ? money(6000, 90000) : money(2000, 25000);
        int months = new int[] {12, 12, 12, 24, 36, 6}[random.nextInt(6)];
        emit(created, new DealCreated(dealId, account, leadId, leadId == null ? rep : null, null, null, null,
                PRODUCTS[random.nextInt(PRODUCTS.length)], STAGES[0], amount, null, months, type,
                created.atZone(ZoneOffset.UTC).toLocalDate().plusDays(45)));
        Instant t = created;
        int reached = 1 + random.nextInt(STAGES.length);
        for (int s = 1; s < reached; s++) {
            t = t.plus(Duration.ofHours(24 + random.nextInt(24 * 14)));
            emit(t, new DealStageChanged(dealId, STAGES[s], STAGES[s - 1]));
        }
        if (random.nextInt(5) == 0) {
            emit(t.plus(Duration.ofDays(2)), new DealUpdated(dealId, money(5000, 80000), null, null, null, null, null, null, null, null, null));
        }
        t = t.plus(Duration.ofHours(24 + random.nextInt(24 * 10)));
        boolean won = random.nextInt(100) < 15 + reached * 12;
        emit(t, new DealClosed(dealId, won ? DealOutcome.WON : DealOutcome.LOST, null, null, won ? null : "price"));
        if (won) {
            if (random.nextInt(30) == 0) {
                // a win that the CRM reopens and later wins again
                emit(t.plus(Duration.ofDays(3)), new io.kpipeline.avro.DealReopened(dealId, STAGES[STAGES.length - 1]));
                emit(t.plus(Duration.ofDays(10)), new DealClosed(dealId, DealOutcome.WON, null, null, null));
            }
            if (!customers.contains(account)) {
                customers.add(account);
            }
        }
    }

    private void emit(Instant at, Object payload) {
        EventType type = EventType.valueOf(payload.getClass().getSimpleName());
        pending.add(new CrmEvent("sim-" + (++seq), type, at, "simulator", payload));
    }

    private String id(String prefix) {
        return prefix + "-" + Long.toString(++seq, 36);
    }

    private static String rep(String team, int n) {
        return "R-" + team.substring(2) + "-" + n;
    }

    private String money(int min, int max) {
        return BigDecimal.valueOf(min + random.nextInt(max - min)).setScale(2, RoundingMode.UNNECESSARY).toPlainString();
    }
}
