package io.kpipeline.streams.event;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.schemas.event.EventRules;
import io.kpipeline.schemas.event.InvalidEventException;
import io.kpipeline.streams.config.EngineSettings;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Whether the engine will apply a valid event: not when it is older than the correction horizon before stream time,
 * nor when it names a currency with no exchange rate on its day. The engine refuses such events to the dead-letter
 * topic; connectors ask first, so the sender hears of it in its answer and can still act.
 */
public final class Admission {
    private Admission() {
    }

    /** Why the event would be refused, or null when it would be applied; {@code streamTime} null: none yet. */
    public static InvalidEventException refusal(CrmEvent event, EngineSettings settings, Long streamTime) {
        long occurred = event.getOccurredAt().toEpochMilli();
        if (streamTime != null && occurred < streamTime - settings.correctionHorizon().toMillis()) {
            return new InvalidEventException("TOO_LATE", "occurredAt " + event.getOccurredAt() + " is older than the correction horizon "
                    + settings.correctionHorizon() + " before stream time " + Instant.ofEpochMilli(streamTime));
        }
        EventRules.Money money = EventRules.moneyOf(event);
        String currency = money == null ? null : money.currency();
        // an update or a close without an amount still names a currency that must convert on its day
        if (currency != null && settings.fx().convert(new BigDecimal(money.amount() == null ? "0" : money.amount()), currency,
                settings.calendar().day(event.getOccurredAt())) == null) {
            return new InvalidEventException("NO_FX_RATE", event.getType() + ": no exchange rate from " + currency + " to "
                    + settings.fx().reportingCurrency() + " for " + settings.calendar().day(event.getOccurredAt()));
        }
        return null;
    }
}
