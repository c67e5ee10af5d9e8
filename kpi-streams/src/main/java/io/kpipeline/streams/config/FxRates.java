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
    private final String reportingCurrency;
    private final Map<String, NavigableMap<LocalDate, BigDecimal>> rates;

    public FxRates(String reportingCurrency, Map<String, NavigableMap<LocalDate, BigDecimal>> rates) {
        this.reportingCurrency = reportingCurrency;
        this.rates = rates;
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
        if (rate == null) {
            return null;
        }
        return amount.multiply(rate.getValue(), MathContext.DECIMAL64);
    }
}
