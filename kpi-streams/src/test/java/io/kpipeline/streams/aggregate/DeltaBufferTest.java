package io.kpipeline.streams.aggregate;

import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.contrib.Contribution;
import io.kpipeline.streams.entity.DimKeys;
import io.kpipeline.streams.time.BusinessCalendar;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The entity stage's pending deltas: what one input added is taken back whole when the input fails. */
class DeltaBufferTest {
    private static final DimKeys KEYS = new DimKeys("T1", "R1", "EMEA", null, "web", "smb");
    private static final Instant AT = Instant.parse("2026-11-02T09:00:00Z");

    private static Map<String, String> drained(DeltaBuffer buffer) {
        Map<String, String> out = new HashMap<>();
        buffer.drain().forEach((owner, cells) -> cells.forEach(e -> out.put(e.getKey().toString(), e.getValue().count() + "/" + e.getValue().sum())));
        return out;
    }

    @Test
    void aRollbackTakesBackWhatTheFailedInputAddedAndKeepsWhatCameBefore() {
        DeltaBuffer expected = new DeltaBuffer(BusinessCalendar.UTC);
        expected.add(1, Contribution.count(Measure.LEADS_CREATED, AT, KEYS));

        DeltaBuffer buffer = new DeltaBuffer(BusinessCalendar.UTC);
        buffer.add(1, Contribution.count(Measure.LEADS_CREATED, AT, KEYS));
        buffer.begin();
        // the failed input: a lead retracted and two touchpoints counted, then an exception
        buffer.add(-1, Contribution.count(Measure.LEADS_CREATED, AT, KEYS));
        buffer.add(1, new Contribution(Measure.TOUCHPOINTS, "CALL", AT, KEYS, 1, null, -1));
        buffer.add(1, new Contribution(Measure.TOUCHPOINTS, "CALL", AT.plusSeconds(60), KEYS, 1, null, -1));
        buffer.rollback();

        // one lead under the company and its five keys (it has no product), no touchpoint left (zero cells are not sent)
        Map<String, String> after = drained(buffer);
        assertThat(after).hasSize(6).isEqualTo(drained(expected));
        assertThat(List.copyOf(after.values())).allMatch(v -> v.startsWith("1/"));
    }
}
