package io.kpipeline.streams.entity;

import io.kpipeline.avro.TouchpointOutcome;

import java.time.Instant;
import java.util.List;

/**
 * A lead's first booked meeting among the distinct touchpoints of the lead and its deals, and its place among them
 * ({@code index}: touchpoints up to and including it): what the touchpoints-to-first-meeting KPI reads.
 */
public record FirstMeeting(Instant at, String eventId, long index) {

    /** Computed from every touchpoint, in {@link Touch#ORDER} and distinct by id; null when none booked a meeting. */
    public static FirstMeeting of(List<Touch> ordered) {
        for (int i = 0; i < ordered.size(); i++) {
            Touch t = ordered.get(i);
            if (t.outcome() == TouchpointOutcome.MEETING_BOOKED) {
                return new FirstMeeting(t.at(), t.eventId(), i + 1L);
            }
        }
        return null;
    }

    /** True when {@code t} comes before this meeting in {@link Touch#ORDER}. */
    public boolean isAfter(Touch t) {
        int c = t.at().compareTo(at);
        return c < 0 || c == 0 && t.eventId().compareTo(eventId) < 0;
    }
}
