package io.kpipeline.streams.assembly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.schemas.part.EventPart;

import java.time.Instant;

/**
 * Of two values a source gave one thing (a field of an engagement, a subscription's status), the later: by the time of
 * its change, then by part id, so that the fold of a set of parts is the same whatever order they came in, and a part
 * delivered twice changes nothing.
 */
final class Latest {
    private Latest() {
    }

    /** Whether {@code part} is later than what {@code slot} holds (an absent slot holds nothing). */
    static boolean later(JsonNode slot, EventPart part) {
        if (slot == null || slot.isMissingNode() || slot.isNull()) {
            return true;
        }
        int byTime = part.at().compareTo(Instant.parse(slot.get("at").asText()));
        return byTime != 0 ? byTime > 0 : part.partId().compareTo(slot.get("id").asText()) > 0;
    }

    /** Puts {@code value} in {@code field} of {@code into} when the part is later than what is there; true when it was. */
    static boolean put(ObjectNode into, String field, EventPart part, String value) {
        if (!later(into.get(field), part)) {
            return false;
        }
        into.putObject(field).put("v", value).put("at", part.at().toString()).put("id", part.partId());
        return true;
    }

    /** The value a slot holds, or null. */
    static String value(JsonNode holder, String field) {
        JsonNode slot = holder.get(field);
        return slot == null || slot.isNull() || slot.get("v").isNull() ? null : slot.get("v").asText();
    }
}
