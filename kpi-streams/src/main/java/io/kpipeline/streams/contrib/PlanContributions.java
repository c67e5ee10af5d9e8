package io.kpipeline.streams.contrib;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.ForecastSubmitted;
import io.kpipeline.avro.TargetSet;
import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.config.FxRates;
import io.kpipeline.streams.entity.DimKeys;
import io.kpipeline.streams.time.BusinessCalendar;
import io.kpipeline.streams.time.Grain;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;

/**
 * Forecasts and targets: of all submissions for one period and scope, the one with the larger
 * ({@code occurredAt}, {@code eventId}) stands. It counts only under its own scope (rep, else team, else company),
 * at the start of its period, sub-keyed by its grain (and a target by its metric).
 */
public final class PlanContributions {
    private static final Comparator<CrmEvent> LATEST = Comparator.comparing(CrmEvent::getOccurredAt).thenComparing(CrmEvent::getEventId);

    private PlanContributions() {
    }

    public static List<Contribution> of(List<CrmEvent> submissions, FxRates fx, BusinessCalendar calendar) {
        CrmEvent latest = submissions.stream().max(LATEST).orElse(null);
        if (latest == null) {
            return List.of();
        }
        Object p = latest.getPayload();
        if (p instanceof ForecastSubmitted f) {
            Grain g = Grain.ofPeriodText(f.getPeriod());
            BigDecimal amount = fx.convert(new BigDecimal(f.getAmount()), f.getCurrency(), calendar.day(latest.getOccurredAt()));
            return List.of(at(Measure.FORECAST, g.id(), g, f.getPeriod(), f.getRepId(), f.getTeamId(), amount, calendar));
        }
        TargetSet t = (TargetSet) p;
        Grain g = Grain.ofPeriodText(t.getPeriod());
        return List.of(at(Measure.TARGET, t.getMetric().name() + "/" + g.id(), g, t.getPeriod(), t.getRepId(), t.getTeamId(),
                new BigDecimal(t.getValue()), calendar));
    }

    private static Contribution at(Measure m, String sub, Grain g, String period, String rep, String team, BigDecimal amount,
                                   BusinessCalendar calendar) {
        Dimension scope = rep != null ? Dimension.REP : team != null ? Dimension.TEAM : Dimension.COMPANY;
        DimKeys keys = new DimKeys(team, rep, null, null, null, null);
        return new Contribution(m, sub, calendar.startOf(g.start(g.parse(period))), keys, 1, amount, -1).onlyUnder(scope);
    }
}
