package io.kpipeline.streams.time;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class GrainTest {
    @Test
    void periodsAreSpelledAsTheApiDocumentsThem() {
        // 2026-11-02 is the Monday of ISO week 45 of 2026: the fourth quarter, the eleventh month
        LocalDate day = LocalDate.of(2026, 11, 2);
        assertThat(Grain.DAY.format(Grain.DAY.ordinalOf(day))).isEqualTo("2026-11-02");
        assertThat(Grain.WEEK.format(Grain.WEEK.ordinalOf(day))).isEqualTo("2026-W45");
        assertThat(Grain.MONTH.format(Grain.MONTH.ordinalOf(day))).isEqualTo("2026-11");
        assertThat(Grain.QUARTER.format(Grain.QUARTER.ordinalOf(day))).isEqualTo("2026-Q4");
        assertThat(Grain.YEAR.format(Grain.YEAR.ordinalOf(day))).isEqualTo("2026");
        assertThat(Grain.CURRENT.format(0)).isEqualTo("current");
    }

    @Test
    void formattingMatchesZeroPaddedFormatAndParsesBack() {
        // every day from year 1 to 2100 (weeks, months, quarters of single-digit years included): the spelling is
        // what "%04d-%02d" printed before, and parse reads it back to the same period
        for (long epochDay = LocalDate.of(1, 1, 1).toEpochDay(); epochDay <= LocalDate.of(2100, 12, 31).toEpochDay(); epochDay += 5) {
            LocalDate day = LocalDate.ofEpochDay(epochDay);
            int month = Grain.MONTH.ordinalOf(day);
            assertThat(Grain.MONTH.format(month)).isEqualTo(String.format(Locale.ROOT, "%04d-%02d", day.getYear(), day.getMonthValue()));
            int week = Grain.WEEK.ordinalOf(day);
            LocalDate monday = LocalDate.ofEpochDay(week);
            assertThat(Grain.WEEK.format(week)).isEqualTo(String.format(Locale.ROOT, "%04d-W%02d",
                    monday.get(IsoFields.WEEK_BASED_YEAR), monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)));
            for (Grain g : Grain.CALENDAR) {
                int ordinal = g.ordinalOf(day);
                assertThat(g.parse(g.format(ordinal))).isEqualTo(ordinal);
            }
        }
        assertThat(Grain.YEAR.format(7)).isEqualTo("0007");
        assertThat(Grain.YEAR.format(-5)).isEqualTo(String.format(Locale.ROOT, "%04d", -5));
    }
}
