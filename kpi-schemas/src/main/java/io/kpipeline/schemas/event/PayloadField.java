package io.kpipeline.schemas.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpipeline.avro.EventType;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A payload field of the contract as the JSON reader takes it: where its value sits (its position in the payload and
 * its slot among every field name), whether it may be absent, and how its text becomes its value. Resolved once per
 * field from the Avro schema, not per event.
 */
record PayloadField(int pos, int slot, String name, boolean optional, Kind kind, List<String> symbols, Map<String, Object> enums) {
    /** The rule of {@code field}, whose name has {@code slot}. */
    static PayloadField of(Schema.Field field, int slot) {
        Schema schema = field.schema();
        boolean optional = schema.getType() == Schema.Type.UNION;
        if (optional) {
            schema = schema.getTypes().get(1);
        }
        Kind kind;
        Map<String, Object> enums = null;
        switch (schema.getType()) {
            case STRING -> kind = Kind.STRING;
            case ENUM -> {
                kind = Kind.ENUM;
                enums = new HashMap<>();
                for (String symbol : schema.getEnumSymbols()) {
                    enums.put(symbol, SpecificData.get().createEnum(symbol, schema));
                }
            }
            case INT -> kind = "date".equals(schema.getProp("logicalType"))
                    || (schema.getLogicalType() != null && "date".equals(schema.getLogicalType().getName())) ? Kind.DATE : Kind.INT;
            default -> throw new IllegalStateException("unsupported schema type " + schema.getType() + " for " + field.name());
        }
        return new PayloadField(field.pos(), slot, field.name(), optional, kind,
                schema.getType() == Schema.Type.ENUM ? schema.getEnumSymbols() : null, enums);
    }

    enum Kind { STRING, ENUM, DATE, INT }

    /**
     * The field's value from its JSON text ({@code null} when absent) and node (for a number, an object or an array),
     * or an {@link InvalidEventException} naming the field and what is wrong with it.
     */
    Object read(EventType type, String text, JsonNode node) {
        if (text == null) {
            if (optional) {
                return null;
            }
            throw new InvalidEventException("MISSING_FIELD", type + ": missing required field '" + name + "'");
        }
        if (node != null && !node.isValueNode()) {
            throw new InvalidEventException("INVALID_FIELD", type + "." + name + ": expected a scalar value");
        }
        switch (kind) {
            case STRING:
                if (text.isBlank() && !optional) {
                    throw new InvalidEventException("MISSING_FIELD", type + ": required field '" + name + "' is empty");
                }
                return text.isBlank() ? null : text;
            case ENUM:
                Object value = enums.get(text);
                if (value == null) {
                    throw new InvalidEventException("INVALID_FIELD",
                            type + "." + name + ": '" + text + "' is not one of " + symbols);
                }
                return value;
            case DATE:
                try {
                    return LocalDate.parse(text);
                } catch (DateTimeParseException e) {
                    throw new InvalidEventException("INVALID_FIELD", type + "." + name + ": not an ISO date (yyyy-mm-dd): '" + text + "'");
                }
            default:
                boolean number = node != null && node.isNumber();
                if (!(number && node.canConvertToInt()) && !text.matches("-?\\d{1,9}")) {
                    throw new InvalidEventException("INVALID_FIELD", type + "." + name + ": not an integer: '" + text + "'");
                }
                return number ? node.intValue() : Integer.parseInt(text);
        }
    }
}
