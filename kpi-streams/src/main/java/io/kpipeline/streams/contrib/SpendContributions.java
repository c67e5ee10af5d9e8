package io.kpipeline.streams.contrib;

import io.kpipeline.avro.SpendCategory;
import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.entity.DimKeys;
import io.kpipeline.streams.time.BusinessCalendar;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Spend spread evenly over the days of its period, cent-exact: each day gets the same number of cents and the
 * first days take one more cent each until the total is reached, so any rollup sums back to the recorded amount.
 */
public final class SpendContributions {
    private SpendContributions() {
    }

    public static List<Contribution> of(SpendCategory category, BigDecimal amount, LocalDate from, LocalDate to,
                                        String channel, String teamId, BusinessCalendar calendar) {
        List<Contribution> out = new ArrayList<>();
        Measure m = category == SpendCategory.MARKETING ? Measure.MARKETING_SPEND : Measure.SALES_SPEND;
        DimKeys keys = new DimKeys(teamId, null, null, null, channel, null);
        long days = ChronoUnit.DAYS.between(from, to) + 1;
        long cents = amount.setScale(2, RoundingMode.HALF_EVEN).movePointRight(2).longValueExact();
        long base = cents / days;
        long extra = cents % days;
        for (long i = 0; i < days; i++) {
            long c = base + (i < extra ? 1 : 0);
            if (c != 0) {
                out.add(new Contribution(m, "", calendar.startOf(from.plusDays(i)), keys, 0, BigDecimal.valueOf(c, 2), -1));
            }
        }
        return out;
    }
}
