package io.kpipeline.schemas.event;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.DealClosed;
import io.kpipeline.avro.DealCreated;
import io.kpipeline.avro.DealUpdated;
import io.kpipeline.avro.ForecastSubmitted;
import io.kpipeline.avro.SpendRecorded;
import io.kpipeline.avro.TargetSet;
import io.kpipeline.avro.TouchpointLogged;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * The checks of the event contract that an Avro schema cannot express (money that parses and is not negative,
 * a touchpoint on a lead or a deal, contract months of at least one, period syntax). Applied to JSON input by
 * the connectors and again to Avro records read from Kafka, since other producers may write there too.
 */
public final class EventRules {
    private static final Pattern PERIOD = Pattern.compile("\\d{4}-(0[1-9]|1[0-2]|Q[1-4])");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    /** No sales amount reaches this; beyond it a value is a typo or an attack on decimal arithmetic. */
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("1e15");
    private static final int MAX_SCALE = 8;
    /** An event stamped further ahead than this is bad input: it would drag stream time, and the horizon, with it. */
    private static final java.time.Duration MAX_FUTURE = java.time.Duration.ofDays(366);

    private EventRules() {
    }

    /** Throws {@link InvalidEventException} when the event breaks the contract. */
    public static void check(CrmEvent event) {
        if (event.getEventId() == null || event.getEventId().isBlank()) {
            throw new InvalidEventException("MISSING_FIELD", "missing required field 'eventId'");
        }
        if (event.getOccurredAt().isAfter(java.time.Instant.now().plus(MAX_FUTURE))) {
            throw new InvalidEventException("INVALID_FIELD", "occurredAt " + event.getOccurredAt() + " is more than "
                    + MAX_FUTURE.toDays() + " days in the future");
        }
        Object p = event.getPayload();
        String t = event.getType().name();
        if (!p.getClass().getSimpleName().equals(t)) {
            throw new InvalidEventException("INVALID_FIELD", "type " + t + " does not match its payload " + p.getClass().getSimpleName());
        }
        Money m = moneyOf(event);
        if (m != null) {
            money(t, "amount", m.amount());
            currency(t, m.currency());
        }
        if (p instanceof DealCreated d) {
            months(t, d.getContractMonths());
        } else if (p instanceof DealUpdated d) {
            months(t, d.getContractMonths());
        } else if (p instanceof SpendRecorded s) {
            if (s.getPeriodEnd().isBefore(s.getPeriodStart())) {
                throw new InvalidEventException("INVALID_FIELD", t + ": periodEnd " + s.getPeriodEnd() + " is before periodStart " + s.getPeriodStart());
            }
        } else if (p instanceof ForecastSubmitted f) {
            period(t, f.getPeriod());
        } else if (p instanceof TargetSet s) {
            money(t, "value", s.getValue());
            period(t, s.getPeriod());
        } else if (p instanceof TouchpointLogged tp) {
            if (blank(tp.getLeadId()) && blank(tp.getDealId())) {
                throw new InvalidEventException("MISSING_FIELD", t + ": needs 'leadId' or 'dealId'");
            }
        }
    }

    /** An event's amount and its currency as written (either may be null: an update that leaves them as they were). */
    public record Money(String amount, String currency) {
    }

    /** The amount and currency of an event that carries money (deals, spend, forecasts), else null. */
    public static Money moneyOf(CrmEvent event) {
        Object p = event.getPayload();
        if (p instanceof DealCreated d) {
            return new Money(d.getAmount(), d.getCurrency());
        } else if (p instanceof DealUpdated d) {
            return new Money(d.getAmount(), d.getCurrency());
        } else if (p instanceof DealClosed d) {
            return new Money(d.getAmount(), d.getCurrency());
        } else if (p instanceof SpendRecorded s) {
            return new Money(s.getAmount(), s.getCurrency());
        } else if (p instanceof ForecastSubmitted f) {
            return new Money(f.getAmount(), f.getCurrency());
        }
        return null;
    }

    /** Parses a money string of the contract; null stays null. */
    public static BigDecimal money(String type, String field, String text) {
        if (text == null) {
            return null;
        }
        BigDecimal value;
        try {
            value = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new InvalidEventException("INVALID_FIELD", type + "." + field + ": not a decimal amount: '" + text + "'");
        }
        if (value.signum() < 0) {
            throw new InvalidEventException("NEGATIVE_AMOUNT", type + "." + field + ": negative amount " + text);
        }
        if (value.compareTo(MAX_AMOUNT) >= 0 || value.stripTrailingZeros().scale() > MAX_SCALE) {
            throw new InvalidEventException("INVALID_FIELD", type + "." + field + ": amount out of range (below "
                    + MAX_AMOUNT.toPlainString() + ", at most " + MAX_SCALE + " decimals): " + text);
        }
        return value;
    }

    private static void currency(String type, String currency) {
        if (currency != null && !CURRENCY.matcher(currency).matches()) {
            throw new InvalidEventException("INVALID_FIELD", type + ".currency: not an ISO-4217 code: '" + currency + "'");
        }
    }

    private static void months(String type, Integer months) {
        if (months != null && months < 1) {
            throw new InvalidEventException("INVALID_FIELD", type + ".contractMonths: must be at least 1, got " + months);
        }
    }

    private static void period(String type, String period) {
        if (!PERIOD.matcher(period).matches()) {
            throw new InvalidEventException("INVALID_FIELD", type + ".period: expected yyyy-mm or yyyy-Qn, got '" + period + "'");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
