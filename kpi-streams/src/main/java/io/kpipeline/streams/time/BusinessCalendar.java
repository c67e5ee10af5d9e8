package io.kpipeline.streams.time;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Cuts time into the business time zone's calendar: which local day an instant falls on. Every period
 * is a set of whole local days, so a day in a zone with daylight saving is 23 or 25 hours long and a
 * month is always exactly its days.
 */
public record BusinessCalendar(ZoneId zone) {

    public static final BusinessCalendar UTC = new BusinessCalendar(ZoneId.of("UTC"));

    /** The local day of {@code instant}. */
    public LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, zone);
    }

    /** The epoch day of the local day of {@code instant}. */
    public int epochDay(Instant instant) {
        return Math.toIntExact(day(instant).toEpochDay());
    }

    /** The first instant of local day {@code day}. */
    public Instant startOf(LocalDate day) {
        return day.atStartOfDay(zone).toInstant();
    }

    /** The ordinal of the period of {@code grain} containing {@code instant}. */
    public int period(Grain grain, Instant instant) {
        return grain.ordinalOf(day(instant));
    }
}
