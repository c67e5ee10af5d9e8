package io.kpipeline.streams.entity;

import java.time.Instant;
import java.util.Collection;

/**
 * What a lead's distinct touchpoints amount to for its own KPIs: how many, how many outbound and the first of those
 * (its first contact), how many calls, and the last touchpoint in {@link Touch#ORDER} (a touchpoint after it is
 * logged in order). All of it is order-independent except the last, so a new touchpoint adds to it in any order.
 */
public record TouchSummary(long count, long outbound, Instant firstOutboundAt, long calls, Instant lastAt, String lastEventId) {
    public static final TouchSummary EMPTY = new TouchSummary(0, 0, null, 0, null, null);

    public static TouchSummary of(Collection<Touch> touches) {
        TouchSummary s = EMPTY;
        for (Touch t : touches) {
            s = s.plus(t);
        }
        return s;
    }

    /** With one more distinct touchpoint. */
    public TouchSummary plus(Touch t) {
        boolean out = t.outbound();
        Instant first = out && (firstOutboundAt == null || t.at().isBefore(firstOutboundAt)) ? t.at() : firstOutboundAt;
        boolean last = isAfterAll(t);
        return new TouchSummary(count + 1, outbound + (out ? 1 : 0), first, calls + (t.channel().equals("CALL") ? 1 : 0),
                last ? t.at() : lastAt, last ? t.eventId() : lastEventId);
    }

    /** True when {@code t} comes after every touchpoint counted here. */
    public boolean isAfterAll(Touch t) {
        if (count == 0) {
            return true;
        }
        int c = t.at().compareTo(lastAt);
        return c > 0 || c == 0 && t.eventId().compareTo(lastEventId) > 0;
    }
}
