package io.kpipeline.connectors.crm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/** Builds canonical events in their contract JSON form; absent (null or blank) fields are left out. */
public final class Canonical {
    private final ObjectNode node = JsonNodeFactory.instance.objectNode();

    private Canonical(String eventId, String type, Instant occurredAt, String origin) {
        node.put("eventId", eventId).put("type", type).put("origin", origin);
        if (occurredAt != null) {
            node.put("occurredAt", occurredAt.toString());
        }
    }

    public static Canonical event(String eventId, String type, Instant occurredAt, String origin) {
        return new Canonical(eventId, type, occurredAt, origin);
    }

    public Canonical with(String field, String value) {
        if (value != null && !value.isBlank()) {
            node.put(field, value);
        }
        return this;
    }

    /** Sets a rep and a team from a CRM owner, when there is one. */
    public Canonical owner(CrmSection.Owner owner) {
        if (owner != null) {
            with("repId", owner.rep()).with("teamId", owner.team());
        }
        return this;
    }

    public ObjectNode json() {
        return node;
    }
}
