package io.kpipeline.app.cli;

import io.kpipeline.app.broker.TopicContents;
import io.kpipeline.streams.config.FxRates;
import io.kpipeline.streams.topology.FxRateUpdater;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The exchange rates published on the rates topic, read to its end once: what an import checks its events against
 * before sending them, as the engine will (records that are not rates are skipped, as the engine skips them).
 */
final class PublishedRates {
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private PublishedRates() {
    }

    static FxRates.Source read(Map<String, Object> client, String topic) {
        Map<String, NavigableMap<LocalDate, BigDecimal>> rates = new HashMap<>();
        TopicContents.read(client, topic, DEADLINE, r -> {
            FxRateUpdater.Rate rate = r.value() == null ? null : FxRateUpdater.parse(new String(r.value(), StandardCharsets.UTF_8));
            if (rate != null) {
                rates.computeIfAbsent(rate.currency(), c -> new TreeMap<>()).put(rate.date(), rate.rate());
            }
        });
        return (currency, day) -> {
            NavigableMap<LocalDate, BigDecimal> byDay = rates.get(currency);
            Map.Entry<LocalDate, BigDecimal> e = byDay == null ? null : byDay.floorEntry(day);
            return e == null ? null : new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue());
        };
    }
}
