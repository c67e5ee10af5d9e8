package io.kpipeline.streams.kpi;

import io.kpipeline.streams.EngineHarness;
import io.kpipeline.streams.config.EngineSettings;
import io.kpipeline.streams.config.FxRates;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

import static io.kpipeline.streams.kpi.CorrectionsTest.ev;
import static org.assertj.core.api.Assertions.assertThat;

/** Money in one reporting currency: configured and published rates, the rate of the event's day, and no rate = rejected. */
class CurrencyTest {
    @Test
    void amountsAreConvertedAtTheRateOfTheirDayAndUnknownCurrenciesAreRejected() {
        var usd = new TreeMap<LocalDate, BigDecimal>(Map.of(LocalDate.parse("2026-11-01"), new BigDecimal("0.90")));
        EngineSettings settings = EngineSettings.defaults().withFx(new FxRates("EUR", Map.of("USD", usd)));
        try (EngineHarness h = new EngineHarness(settings)) {
            // a GBP rate published on the rates topic from 3 Nov
            h.publishRate("GBP", "2026-11-03", "1.15");
            h.send(ev("d1", "DealCreated", "2026-11-02T10:00:00Z", "\"dealId\":\"D-1\",\"stage\":\"s\",\"amount\":\"1000.00\",\"currency\":\"USD\""),
                    ev("d2", "DealCreated", "2026-11-04T10:00:00Z", "\"dealId\":\"D-2\",\"stage\":\"s\",\"amount\":\"100.00\",\"currency\":\"GBP\""),
                    // GBP on 2 Nov has no rate yet, CHF none at all: both rejected, not counted as euros
                    ev("d3", "DealCreated", "2026-11-02T10:00:00Z", "\"dealId\":\"D-3\",\"stage\":\"s\",\"amount\":\"100.00\",\"currency\":\"GBP\""),
                    ev("d4", "DealCreated", "2026-11-04T10:00:00Z", "\"dealId\":\"D-4\",\"stage\":\"s\",\"amount\":\"100.00\",\"currency\":\"CHF\""));
            // 1000 USD x 0.90 + 100 GBP x 1.15 = 900 + 115 = 1015 EUR
            assertThat(h.value("pipeline_value", "company", null, "current", null)).isEqualTo(1015.0);
            assertThat(h.deadLetters()).extracting(d -> d.getReasonCode()).containsExactly("NO_FX_RATE", "NO_FX_RATE");
        }
    }
}
