package io.kpipeline.streams.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kpipeline.streams.config.FxRates;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.AbstractMap;

/**
 * Keeps the global store of published exchange rates: each record of the rates topic is
 * {@code {"currency":"USD","date":"2026-11-02","rate":"0.92"}} (units of the reporting currency per unit of the
 * currency, from that day on). A record that does not parse is logged and skipped.
 */
public final class FxRateUpdater implements Processor<String, String, Void, Void> {
    public static final String STORE = "fx-rates";
    private static final Logger LOG = LoggerFactory.getLogger(FxRateUpdater.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private KeyValueStore<String, String> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, String> record) {
        Rate r = parse(record.value());
        if (r == null) {
            LOG.warn("skipping an exchange-rate record that is not {{\"currency\",\"date\",\"rate\"}}: {}", record.value());
        } else {
            store.put(key(r.currency(), r.date()), r.rate().toPlainString());
        }
    }

    /** One record of the rates topic: a currency's rate from a day on. */
    public record Rate(String currency, LocalDate date, BigDecimal rate) {
    }

    /** A record of the rates topic, or null when it is not one. */
    public static Rate parse(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            String currency = n.get("currency").asText();
            LocalDate date = LocalDate.parse(n.get("date").asText());
            BigDecimal rate = new BigDecimal(n.get("rate").asText());
            return currency.matches("[A-Z]{3}") && rate.signum() > 0 ? new Rate(currency, date, rate) : null;
        } catch (Exception e) {
            return null;
        }
    }

    static String key(String currency, LocalDate date) {
        return currency + "|" + date;
    }

    /** Looks rates up in the global store: the latest dated on or before a day. */
    public static FxRates.Source source(ReadOnlyKeyValueStore<String, String> store) {
        return (currency, day) -> {
            try (KeyValueIterator<String, String> it = store.reverseRange(key(currency, LocalDate.of(1, 1, 1)), key(currency, day))) {
                if (!it.hasNext()) {
                    return null;
                }
                KeyValue<String, String> kv = it.next();
                return new AbstractMap.SimpleImmutableEntry<>(LocalDate.parse(kv.key.substring(4)), new BigDecimal(kv.value));
            }
        };
    }

}
