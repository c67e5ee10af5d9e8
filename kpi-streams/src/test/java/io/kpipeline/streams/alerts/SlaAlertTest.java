package io.kpipeline.streams.alerts;

import io.kpipeline.avro.Alert;
import io.kpipeline.streams.EngineHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;


import static org.assertj.core.api.Assertions.assertThat;

/** SLA alerts fire at the deadline by wall clock, resolve on contact, and never fire for history. */
class SlaAlertTest {
    static String created(String lead, Instant at) {
        return EngineHarness.event("c-" + lead, "LeadCreated", at.toString(), "\"leadId\":\"" + lead + "\",\"repId\":\"R-1\",\"teamId\":\"T-1\",\"source\":\"web\"");
    }

    static String touch(String lead, Instant at) {
        return EngineHarness.event("t-" + lead + at, "TouchpointLogged", at.toString(), "\"touchpointId\":\"tp-" + lead + at + "\",\"leadId\":\"" + lead + "\",\"channel\":\"CALL\"");
    }

    @Test
    void firesAtTheDeadlineWithNoOtherEventAndResolvesOnContact() {
        try (EngineHarness h = new EngineHarness()) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            h.send(created("L-1", now));
            h.advance(Duration.ofMinutes(4));
            assertThat(h.alerts()).isEmpty();
            // the default SLA is 5 minutes: the 200 ms punctuator fires it just after the deadline
            h.advance(Duration.ofSeconds(61));
            Alert fired = h.alerts().get(0);
            assertThat(fired.getRule()).isEqualTo(SlaAlertProcessor.BREACHED);
            assertThat(fired.getStatus()).isEqualTo("open");
            assertThat(fired.getDeadline()).isEqualTo(now.plus(Duration.ofMinutes(5)));
            assertThat(fired.getRepId()).isEqualTo("R-1");
            // the late contact resolves it, with the wait it had
            h.send(touch("L-1", now.plusSeconds(400)));
            Alert resolved = h.alerts().get(0);
            assertThat(resolved.getStatus()).isEqualTo("resolved");
            assertThat(resolved.getId()).isEqualTo(fired.getId());
            assertThat(resolved.getWaitSeconds()).isEqualTo(400.0);
            // no escalation for a contacted lead
            h.advance(Duration.ofMinutes(30));
            assertThat(h.alerts()).isEmpty();
        }
    }

    @Test
    void contactBeforeTheDeadlineMeansNoAlertButSilenceEscalates() {
        try (EngineHarness h = new EngineHarness()) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            h.send(created("L-1", now), touch("L-1", now.plusSeconds(60)), created("L-2", now));
            h.advance(Duration.ofMinutes(31));
            assertThat(h.alerts()).extracting(a -> a.getRule() + " " + a.getLeadId())
                    .containsExactly(SlaAlertProcessor.BREACHED + " L-2", SlaAlertProcessor.ESCALATED + " L-2");
        }
    }

    @Test
    void historyNeverAlerts() {
        try (EngineHarness h = new EngineHarness()) {
            // created two hours ago: outside the 1-hour alerting horizon
            h.send(created("L-old", Instant.now().minus(Duration.ofHours(2))));
            h.advance(Duration.ofMinutes(40));
            assertThat(h.alerts()).isEmpty();
            assertThat(h.value("leads_created", "company", null, "year", String.valueOf(java.time.LocalDate.now().getYear()))).isNotNull();
        }
    }

    @Test
    void repResponseDegradedFiresAboveTheP90ThresholdAndResolvesBelowIt() {
        AlertSettings rule = new AlertSettings(Duration.ofMinutes(30), Duration.ofHours(1), 3, Duration.ofMinutes(1));
        try (EngineHarness h = new EngineHarness(io.kpipeline.streams.config.EngineSettings.defaults(), rule)) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            // three leads answered after 2 minutes: p90 of the last 3 is 120 s > 60 s
            for (int i = 1; i <= 3; i++) {
                h.send(created("S" + i, now), touch("S" + i, now.plusSeconds(120)));
            }
            List<Alert> fired = h.alerts().stream().filter(a -> a.getRule().equals(SlaAlertProcessor.DEGRADED)).toList();
            assertThat(fired).hasSize(1);
            assertThat(fired.get(0).getStatus()).isEqualTo("open");
            assertThat(fired.get(0).getRepId()).isEqualTo("R-1");
            assertThat(fired.get(0).getWaitSeconds()).isEqualTo(120.0);
            // three quick answers push the slow ones out of the window: p90 10 s, resolved
            for (int i = 1; i <= 3; i++) {
                h.send(created("Q" + i, now), touch("Q" + i, now.plusSeconds(10)));
            }
            List<Alert> later = h.alerts().stream().filter(a -> a.getRule().equals(SlaAlertProcessor.DEGRADED)).toList();
            assertThat(later).hasSize(1);
            assertThat(later.get(0).getStatus()).isEqualTo("resolved");
        }
    }
}
