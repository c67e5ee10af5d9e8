package io.kpipeline.connectors.simulate;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.EventType;
import io.kpipeline.avro.LeadCreated;
import io.kpipeline.avro.TouchpointLogged;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CrmSimulatorTest {
    private static final LocalDate START = LocalDate.of(2026, 1, 1);
    // touchpoints follow a lead's first by 4 to 76 hours each with the default mean of 3, closer with more: at most
    // 22 gaps of 76 * 3 / 12 = 19 h (17 days) after it with a mean of 12, so leads of the first two months are complete by July
    private static final Instant END = Instant.parse("2026-07-01T00:00:00Z");
    private static final Instant MARCH = Instant.parse("2026-03-01T00:00:00Z");

    private static List<CrmEvent> history(CrmSimulator sim) {
        return sim.advanceTo(END);
    }

    @Test
    void threeTouchesIsTheDefault() {
        // the bench's default history and every test's must not change with the knob
        assertThat(history(new CrmSimulator(7, 30, START, 3))).isEqualTo(history(new CrmSimulator(7, 30, START)));
    }

    @Test
    void moreTouchesMakeLongerHistoriesOfTheSameLeads() {
        List<CrmEvent> few = history(new CrmSimulator(7, 30, START, 3));
        List<CrmEvent> many = history(new CrmSimulator(7, 30, START, 12));
        assertThat(count(many, EventType.LeadCreated)).isBetween(count(few, EventType.LeadCreated) * 9 / 10, count(few, EventType.LeadCreated) * 11 / 10);
        // touchpoints per contacted lead: 1 to 5 (mean 3) against 1 to 23 (mean 12), over a few thousand leads
        assertThat(perContactedLead(few)).isBetween(2.7, 3.3);
        assertThat(perContactedLead(many)).isBetween(10.5, 13.0);
    }

    @Test
    void touchpointsSpanAboutTheSameWeeksWhateverTheirNumber() {
        // mean 3: 1 to 5 touchpoints, at most 4 gaps of 76 h = 12.7 days from a lead's first to its last;
        // mean 30: 1 to 59, at most 58 gaps of 76 * 3 / 30 = 7.6 h = 18.4 days (unscaled it would be 184 days)
        assertThat(longestTouchSpan(history(new CrmSimulator(7, 30, START, 3)))).isLessThanOrEqualTo(java.time.Duration.ofHours(4 * 76));
        assertThat(longestTouchSpan(history(new CrmSimulator(7, 30, START, 30)))).isLessThanOrEqualTo(java.time.Duration.ofMinutes(58 * 76 * 60 * 3 / 30));
    }

    @Test
    void refusesFewerThanOneTouch() {
        assertThatThrownBy(() -> new CrmSimulator(7, 30, START, 0)).hasMessageContaining("at least 1");
    }

    private static long count(List<CrmEvent> events, EventType type) {
        return events.stream().filter(e -> e.getType() == type).count();
    }

    /** The longest time from a lead's first touchpoint to its last. */
    private static java.time.Duration longestTouchSpan(List<CrmEvent> events) {
        java.util.Map<String, Instant> first = new java.util.HashMap<>();
        java.time.Duration longest = java.time.Duration.ZERO;
        for (CrmEvent e : events) {
            if (e.getPayload() instanceof TouchpointLogged t) {
                Instant from = first.computeIfAbsent(t.getLeadId(), x -> e.getOccurredAt());
                java.time.Duration span = java.time.Duration.between(from, e.getOccurredAt());
                longest = span.compareTo(longest) > 0 ? span : longest;
            }
        }
        return longest;
    }

    private static double perContactedLead(List<CrmEvent> events) {
        Set<String> early = new HashSet<>();
        for (CrmEvent e : events) {
            if (e.getPayload() instanceof LeadCreated c && e.getOccurredAt().isBefore(MARCH)) {
                early.add(c.getLeadId());
            }
        }
        Set<String> contacted = new HashSet<>();
        long touches = 0;
        for (CrmEvent e : events) {
            if (e.getPayload() instanceof TouchpointLogged t && early.contains(t.getLeadId())) {
                contacted.add(t.getLeadId());
                touches++;
            }
        }
        return (double) touches / contacted.size();
    }
}
