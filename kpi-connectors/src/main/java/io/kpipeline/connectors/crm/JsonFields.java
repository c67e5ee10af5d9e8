package io.kpipeline.connectors.crm;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpipeline.schemas.event.InvalidEventException;

/** Reading fields of a CRM's JSON: a null, blank or non-scalar value counts as absent. */
public final class JsonFields {
    private JsonFields() {
    }

    public static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || !v.isValueNode() || v.asText().isBlank() ? null : v.asText();
    }

    /** The field's text, or a {@code MISSING_FIELD} rejection naming the CRM's payload and the field. */
    public static String required(JsonNode node, String field, String payload) {
        String v = text(node, field);
        if (v == null) {
            throw new InvalidEventException("MISSING_FIELD", payload + " without '" + field + "'");
        }
        return v;
    }
}
