package io.kpipeline.streams.assembly;

import io.kpipeline.schemas.part.EventPart;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Parts as the connectors make them: a HubSpot call's and a Stripe subscription's. */
final class Parts {
    static final String CALL = "hubspot:62515:0-48:7001";

    private Parts() {
    }

    static EventPart touch(String id, String at, String action, Map<String, String> values) {
        return new EventPart(EventPart.Kind.TOUCHPOINT, CALL, "hubspot:" + id, Instant.parse(at), "hubspot", action, values, "{\"eventId\":\"" + id + "\"}");
    }

    static EventPart created(String at) {
        return touch("created", at, "created", Map.of("channel", "CALL", "touchpointId", "hubspot:call:7001", "requires", "occurredAt,direction"));
    }

    /** The parts of call 7001 on lead 5101, at 09:03:00 on 2 November, its record made at 09:03:05, linked at 09:03:20. */
    static List<EventPart> call() {
        return List.of(created("2026-11-02T09:03:05Z"),
                touch("ts", "2026-11-02T09:03:05Z", "set", Map.of("occurredAt", "2026-11-02T09:03:00Z")),
                touch("dir", "2026-11-02T09:03:05Z", "set", Map.of("direction", "OUTBOUND")),
                touch("owner", "2026-11-02T09:03:05Z", "set", Map.of("repId", "R-7", "teamId", "T-emea")),
                touch("link", "2026-11-02T09:03:20Z", "linked", Map.of("leadId", "5101")));
    }

    static EventPart subscription(String event, String at, String account, String subscription, String status, String endedAt) {
        Map<String, String> values = endedAt == null ? Map.of("accountId", account, "subscriptionId", subscription, "status", status)
                : Map.of("accountId", account, "subscriptionId", subscription, "status", status, "endedAt", endedAt);
        return new EventPart(EventPart.Kind.SUBSCRIPTION, "account:" + account, "stripe:" + event, Instant.parse(at), "stripe", "status", values, "{}");
    }
}
