package io.kpipeline.streams.kpi;

import io.kpipeline.streams.EngineHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.kpipeline.streams.kpi.CorrectionsTest.LEAD;
import static org.assertj.core.api.Assertions.assertThat;

/** Records on crm-events that cannot be applied go to the dead-letter topic with their reason; the rest go on. */
class BadInputTest {
    @Test
    void corruptBytesAndUnknownSchemasAreDeadLetteredAndValidEventsNextToThemApply() {
        try (EngineHarness h = new EngineHarness()) {
            h.sendRaw("{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8));
            // the wire format's magic byte, then a schema id the registry never issued
            h.sendRaw(new byte[] {0, 0, 0, 0x7f, 0x7f, 1, 2, 3});
            h.sendRaw(new byte[0]);
            h.send(LEAD);
            assertThat(h.value("leads_created", "company", null, "month", "2026-11")).isEqualTo(1.0);
            var dead = h.deadLetters();
            assertThat(dead).hasSize(3).allSatisfy(d -> {
                assertThat(d.getReasonCode()).isEqualTo("INVALID_AVRO");
                assertThat(d.getTopic()).isEqualTo("crm-events");
                assertThat(d.getOffset()).isNotNull();
            });
            assertThat(dead.get(0).getRaw().remaining()).isPositive();
            assertThat(h.counters.rejectedByReason()).containsKey("INVALID_AVRO");
        }
    }

}
