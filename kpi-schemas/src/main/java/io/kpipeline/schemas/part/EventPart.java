package io.kpipeline.schemas.part;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.schemas.event.InvalidEventException;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;

/**
 * One piece of what becomes a canonical event only together with others: a CRM sends an engagement's creation, its
 * properties and its associations as separate deliveries in any order, and a billing system tells of one
 * subscription at a time while churn is about the account's last one. Connectors translate each delivery item
 * into a part on {@code crm-event-parts} (JSON, keyed by {@link #key}); the engine's assembly folds the parts of a key
 * and writes the canonical events they make to {@code crm-events}.
 *
 * @param kind    which assembly folds it
 * @param key     what the parts are of: one engagement, one account
 * @param partId  stable across a source's retries, so that a part delivered twice folds once
 * @param at      when the part's change happened at the source; of two values of one field the later wins
 * @param origin  the source system, the {@code origin} of the events made
 * @param action  what the part says (for a touchpoint: {@code created}, {@code set}, {@code linked}, {@code unlinked},
 *                {@code deleted}; for a subscription: {@code status})
 * @param values  the action's canonical fields (a touchpoint's {@code channel}, {@code occurredAt},
 *                {@code direction}, {@code outcome}, {@code repId}, {@code teamId}, a link's {@code leadId} or
 *                {@code dealId}; a subscription's {@code subscriptionId}, {@code status}, {@code endedAt})
 * @param raw     the source's own item, for a dead letter when the whole never resolves
 */
public record EventPart(Kind kind, String key, String partId, Instant at, String origin, String action, Map<String, String> values, String raw) {
    /** The assemblies. */
    public enum Kind { TOUCHPOINT, SUBSCRIPTION }

    /** The topic connectors write parts to. */
    public static final String TOPIC = "crm-event-parts";

    private static final ObjectMapper JSON = new ObjectMapper();

    public EventPart {
        values = values == null ? Map.of() : new TreeMap<>(values);
    }

    public String value(String field) {
        return values.get(field);
    }

    public byte[] toJson() {
        ObjectNode n = JSON.createObjectNode().put("kind", kind.name()).put("key", key).put("partId", partId)
                .put("at", at.toString()).put("origin", origin).put("action", action);
        ObjectNode v = n.putObject("values");
        values.forEach(v::put);
        if (raw != null) {
            n.put("raw", raw);
        }
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException("an event part did not serialize", e);
        }
    }

    /** A part as a connector wrote it; one that is not (unreadable, or without kind, key, part id, time or action) is bad input. */
    public static EventPart fromJson(byte[] json) {
        JsonNode n;
        try {
            n = json == null ? null : JSON.readTree(json);
        } catch (IOException e) {
            throw new InvalidEventException("INVALID_JSON", "not an event part: " + firstLine(e.getMessage()));
        }
        if (n == null || !n.isObject()) {
            throw new InvalidEventException("INVALID_JSON", "an event part is a JSON object");
        }
        for (String field : new String[]{"kind", "key", "partId", "at", "action"}) {
            if (!n.path(field).isTextual()) {
                throw new InvalidEventException("MISSING_FIELD", "an event part needs " + field);
            }
        }
        Kind kind;
        Instant at;
        try {
            kind = Kind.valueOf(n.get("kind").asText());
            at = Instant.parse(n.get("at").asText());
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new InvalidEventException("INVALID_FIELD", "event part kind or time unreadable: " + e.getMessage());
        }
        Map<String, String> values = new TreeMap<>();
        n.path("values").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        return new EventPart(kind, n.get("key").asText(), n.get("partId").asText(), at, n.path("origin").asText(null),
                n.get("action").asText(), values, n.path("raw").asText(null));
    }

    private static String firstLine(String message) {
        int nl = message == null ? -1 : message.indexOf('\n');
        return nl < 0 ? String.valueOf(message) : message.substring(0, nl);
    }
}
