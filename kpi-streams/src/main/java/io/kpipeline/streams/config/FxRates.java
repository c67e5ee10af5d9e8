package io.kpipeline.streams.config;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Conversion into the reporting currency at the rate of a day: each currency has dated rates (units of reporting
 * currency per unit of the currency), and a day uses the latest rate dated on or before it. A currency without a
 * rate for the day converts to null, which the engine treats as bad input.
 */
public final class FxRates {
    /** Dated rates published at run time: the latest rate of a currency dated on or before a day, or null. */
    public interface Source {
        Map.Entry<LocalDate, BigDecimal> floor(String currency, LocalDate day);
    }

    private final String reportingCurrency;
    private final Map<String, NavigableMap<LocalDate, BigDecimal>> rates;
    private final Source live;

    public FxRates(String reportingCurrency, Map<String, NavigableMap<LocalDate, BigDecimal>> rates) {
        this(reportingCurrency, rates, null);
    }

    private FxRates(String reportingCurrency, Map<String, NavigableMap<LocalDate, BigDecimal>> rates, Source live) {
        this.reportingCurrency = reportingCurrency;
        this.rates = rates;
        this.live = live;
    }

    /** These rates plus those of {@code live}; for a day, the more recently dated rate of the two applies. */
    public FxRates withLive(Source source) {
        return new FxRates(reportingCurrency, rates, source);
    }

    public static FxRates none(String reportingCurrency) {
        return new FxRates(reportingCurrency, Map.of());
    }

    public String reportingCurrency() {
        return reportingCurrency;
    }

    /** The amount in the reporting currency, or null when {@code currency} has no rate on {@code day}. */
    public BigDecimal convert(BigDecimal amount, String currency, LocalDate day) {
        if (amount == null || currency == null || currency.equals(reportingCurrency)) {
            return amount;
        }
        NavigableMap<LocalDate, BigDecimal> byDay = rates.getOrDefault(currency, new TreeMap<>());
        Map.Entry<LocalDate, BigDecimal> rate = byDay.floorEntry(day);
        Map.Entry<LocalDate, BigDecimal> published = live == null ? null : live.floor(currency, day);
        if (published != null && (rate == null || !published.getKey().isBefore(rate.getKey()))) {
            rate = published;
        }
        if (rate == null) {
            return null;
        }
        return amount.multiply(rate.getValue(), MathContext.DECIMAL64);
    }
}
