package io.kpipeline.streams.time;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A calendar grain. Each period of a grain is numbered by an ordinal that orders like time: a day by
 * its epoch day, an ISO week by the epoch day of its Monday, a month as {@code year * 12 + month - 1},
 * a quarter as {@code year * 4 + quarter - 1}, a year by itself. {@link #CURRENT} is the single
 * "now" period of point-in-time KPIs.
 */
public enum Grain {
    DAY("day", 'd', Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})")),
    WEEK("week", 'w', Pattern.compile("(\\d{4})-W(\\d{2})")),
    MONTH("month", 'm', Pattern.compile("(\\d{4})-(\\d{2})")),
    QUARTER("quarter", 'q', Pattern.compile("(\\d{4})-Q([1-4])")),
    YEAR("year", 'y', Pattern.compile("(\\d{4})")),
    CURRENT("current", 'c', Pattern.compile("current"));

    /** The calendar grains, shortest first (every grain but {@link #CURRENT}). */
    public static final java.util.List<Grain> CALENDAR = java.util.List.of(DAY, WEEK, MONTH, QUARTER, YEAR);

    /** {@link #values()} once: it copies the array on every call, and decoding a delta looks a grain up. */
    private static final Grain[] ALL = values();
    private final String id;
    private final char code;
    private final Pattern format;

    Grain(String id, char code, Pattern format) {
        this.id = id;
        this.code = code;
        this.format = format;
    }

    /** Its fixed code in stored keys (never its ordinal). */
    public char code() {
        return code;
    }

    /** The grain of a stored code; an unknown code is an error, never a guess. */
    public static Grain byCode(char code) {
        for (Grain g : ALL) {
            if (g.code == code) {
                return g;
            }
        }
        throw new IllegalArgumentException("no grain has the code '" + code + "'");
    }

    /** The name used in the API: day, week, month, quarter, year, current. */
    public String id() {
        return id;
    }

    /** The grain named {@code id} in the API, or null. */
    public static Grain byId(String id) {
        for (Grain grain : ALL) {
            if (grain.id.equals(id)) {
                return grain;
            }
        }
        return null;
    }

    /** The ordinal of the period of this grain that contains {@code day}. */
    public int ordinalOf(LocalDate day) {
        return switch (this) {
            case DAY -> Math.toIntExact(day.toEpochDay());
            case WEEK -> Math.toIntExact(day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toEpochDay());
            case MONTH -> day.getYear() * 12 + day.getMonthValue() - 1;
            case QUARTER -> day.getYear() * 4 + (day.getMonthValue() - 1) / 3;
            case YEAR -> day.getYear();
            case CURRENT -> 0;
        };
    }

    /** The first day of the period {@code ordinal}. */
    public LocalDate start(int ordinal) {
        return switch (this) {
            case DAY, WEEK -> LocalDate.ofEpochDay(ordinal);
            case MONTH -> LocalDate.of(Math.floorDiv(ordinal, 12), Math.floorMod(ordinal, 12) + 1, 1);
            case QUARTER -> LocalDate.of(Math.floorDiv(ordinal, 4), Math.floorMod(ordinal, 4) * 3 + 1, 1);
            case YEAR -> LocalDate.of(ordinal, 1, 1);
            case CURRENT -> throw new UnsupportedOperationException("the current period has no start");
        };
    }

    /** The first day after the period {@code ordinal}. */
    public LocalDate end(int ordinal) {
        return start(next(ordinal));
    }

    /** The ordinal of the period after {@code ordinal}. */
    public int next(int ordinal) {
        return plus(ordinal, 1);
    }

    /** The ordinal {@code n} periods after {@code ordinal} (before, when negative). */
    public int plus(int ordinal, int n) {
        return this == WEEK ? ordinal + 7 * n : ordinal + n;
    }

    /** How many periods from {@code from} to {@code to}, both included (0 if {@code to} is before {@code from}). */
    public int count(int from, int to) {
        if (to < from) {
            return 0;
        }
        return this == WEEK ? (to - from) / 7 + 1 : to - from + 1;
    }

    /** The API spelling of period {@code ordinal}: 2026-11-02, 2026-W45, 2026-11, 2026-Q4, 2026, current. */
    public String format(int ordinal) {
        return switch (this) {
            case DAY -> LocalDate.ofEpochDay(ordinal).toString();
            case WEEK -> {
                LocalDate monday = LocalDate.ofEpochDay(ordinal);
                yield digits(monday.get(IsoFields.WEEK_BASED_YEAR), 4) + "-W" + digits(monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2);
            }
            case MONTH -> digits(Math.floorDiv(ordinal, 12), 4) + "-" + digits(Math.floorMod(ordinal, 12) + 1, 2);
            case QUARTER -> digits(Math.floorDiv(ordinal, 4), 4) + "-Q" + (Math.floorMod(ordinal, 4) + 1);
            case YEAR -> digits(ordinal, 4);
            case CURRENT -> "current";
        };
    }

    /**
     * {@code value} zero-padded to {@code width} characters, sign included, as {@code %0<width>d} prints it: the
     * publisher formats a period for every point it sends, and {@link String#format} cost more than the point.
     */
    private static String digits(int value, int width) {
        String text = Long.toString(Math.abs((long) value));
        int digits = value < 0 ? width - 1 : width;
        String padded = text.length() >= digits ? text : "0".repeat(digits - text.length()) + text;
        return value < 0 ? "-" + padded : padded;
    }

    /**
     * Parses a period in this grain's spelling.
     *
     * @throws IllegalArgumentException naming the expected form when {@code text} is not a period of this grain
     */
    public int parse(String text) {
        Matcher m = format.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a " + id + " period; expected " + example());
        }
        try {
            return switch (this) {
                case DAY -> ordinalOf(LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
                case WEEK -> {
                    int year = Integer.parseInt(m.group(1));
                    int week = Integer.parseInt(m.group(2));
                    LocalDate jan4 = LocalDate.of(year, 1, 4);
                    long weeks = jan4.range(IsoFields.WEEK_OF_WEEK_BASED_YEAR).getMaximum();
                    if (week < 1 || week > weeks) {
                        throw new IllegalArgumentException("'" + text + "' is not a week: " + year + " has " + weeks + " ISO weeks");
                    }
                    yield ordinalOf(jan4.with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, week).with(DayOfWeek.MONDAY));
                }
                case MONTH -> {
                    int month = Integer.parseInt(m.group(2));
                    if (month < 1 || month > 12) {
                        throw new IllegalArgumentException("'" + text + "' is not a month");
                    }
                    yield Integer.parseInt(m.group(1)) * 12 + month - 1;
                }
                case QUARTER -> Integer.parseInt(m.group(1)) * 4 + Integer.parseInt(m.group(2)) - 1;
                case YEAR -> Integer.parseInt(m.group(1));
                case CURRENT -> 0;
            };
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a " + id + ": " + e.getMessage());
        }
    }

    /** An example period of this grain, for error messages. */
    public String example() {
        return switch (this) {
            case DAY -> "YYYY-MM-DD, e.g. 2026-11-02";
            case WEEK -> "YYYY-Www, e.g. 2026-W45";
            case MONTH -> "YYYY-MM, e.g. 2026-11";
            case QUARTER -> "YYYY-Qn, e.g. 2026-Q4";
            case YEAR -> "YYYY, e.g. 2026";
            case CURRENT -> "no period";
        };
    }

    /** The grain whose periods are spelled like {@code text} (a forecast or target period), or null. */
    public static Grain ofPeriodText(String text) {
        for (Grain grain : CALENDAR) {
            if (grain.format.matcher(text).matches()) {
                return grain;
            }
        }
        return null;
    }
}
