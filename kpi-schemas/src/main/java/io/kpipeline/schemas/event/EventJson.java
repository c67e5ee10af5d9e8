package io.kpipeline.schemas.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.EventType;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Map;

/**
 * Converts between the JSON shape of the event contract (one flat object: envelope plus the type's fields)
 * and the Avro {@link CrmEvent}. Field names, types and required-ness come from the Avro schemas themselves,
 * so the JSON and Avro forms cannot drift apart; {@link EventRules} adds the checks a schema cannot express.
 */
public final class EventJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final Map<EventType, Schema> PAYLOADS = new EnumMap<>(EventType.class);

    static {
        for (Schema branch : CrmEvent.getClassSchema().getField("payload").schema().getTypes()) {
            PAYLOADS.put(EventType.valueOf(branch.getName()), branch);
        }
    }

    private EventJson() {
    }

    /** Parses and validates one JSON line; throws {@link InvalidEventException} naming what is wrong. */
    public static CrmEvent parse(String line) {
        JsonNode node = read(() -> MAPPER.readTree(line));
        if (node == null || !node.isObject()) {
            throw new InvalidEventException("INVALID_JSON", "invalid JSON: expected one object per line");
        }
        return fromTree((ObjectNode) node);
    }

    /** JSON as this class reads it (decimals kept exact); throws {@link InvalidEventException} when it is not JSON. */
    public static JsonNode readTree(byte[] json) {
        return read(() -> MAPPER.readTree(json));
    }

    private interface JsonRead {
        JsonNode read() throws IOException;
    }

    private static JsonNode read(JsonRead reader) {
        try {
            return reader.read();
        } catch (IOException | RuntimeException e) {
            // Jackson reports some malformed numbers (an exponent overflow) as unchecked exceptions
            throw new InvalidEventException("INVALID_JSON", "invalid JSON: " + firstLine(e.getMessage()));
        }
    }

    /** Validates an already-parsed JSON object (webhooks hand these over). */
    public static CrmEvent fromTree(ObjectNode node) {
        String eventId = requiredText(node, "eventId");
        String typeText = requiredText(node, "type");
        EventType type;
        try {
            type = EventType.valueOf(typeText);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("UNKNOWN_TYPE", "unknown type '" + typeText + "'");
        }
        String occurredText = requiredText(node, "occurredAt");
        Instant occurredAt;
        try {
            occurredAt = Instant.parse(occurredText);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("INVALID_FIELD", "occurredAt: not an ISO-8601 instant: '" + occurredText + "'");
        }
        JsonNode origin = node.get("origin");
        Schema payloadSchema = PAYLOADS.get(type);
        SpecificRecord payload = (SpecificRecord) SpecificData.get().newRecord(null, payloadSchema);
        for (Schema.Field field : payloadSchema.getFields()) {
            payload.put(field.pos(), convert(type, field, node.get(field.name())));
        }
        CrmEvent event = new CrmEvent(eventId, type, occurredAt,
                origin == null || origin.isNull() ? null : origin.asText(), payload);
        EventRules.check(event);
        return event;
    }

    private static Object convert(EventType type, Schema.Field field, JsonNode value) {
        Schema schema = field.schema();
        boolean optional = schema.getType() == Schema.Type.UNION;
        if (optional) {
            schema = schema.getTypes().get(1);
        }
        if (value == null || value.isNull()) {
            if (optional) {
                return null;
            }
            throw new InvalidEventException("MISSING_FIELD", type + ": missing required field '" + field.name() + "'");
        }
        String where = type + "." + field.name();
        if (!value.isValueNode()) {
            throw new InvalidEventException("INVALID_FIELD", where + ": expected a scalar value");
        }
        String text = value.asText();
        switch (schema.getType()) {
            case STRING:
                if (text.isBlank() && !optional) {
                    throw new InvalidEventException("MISSING_FIELD", type + ": required field '" + field.name() + "' is empty");
                }
                return text.isBlank() ? null : text;
            case ENUM:
                if (!schema.getEnumSymbols().contains(text)) {
                    throw new InvalidEventException("INVALID_FIELD",
                            where + ": '" + text + "' is not one of " + schema.getEnumSymbols());
                }
                return SpecificData.get().createEnum(text, schema);
            case INT:
                if ("date".equals(schema.getProp("logicalType"))
                        || (schema.getLogicalType() != null && "date".equals(schema.getLogicalType().getName()))) {
                    try {
                        return LocalDate.parse(text);
                    } catch (DateTimeParseException e) {
                        throw new InvalidEventException("INVALID_FIELD", where + ": not an ISO date (yyyy-mm-dd): '" + text + "'");
                    }
                }
                if (!value.canConvertToInt() && !text.matches("-?\\d{1,9}")) {
                    throw new InvalidEventException("INVALID_FIELD", where + ": not an integer: '" + text + "'");
                }
                return value.isNumber() ? value.intValue() : Integer.parseInt(text);
            default:
                throw new IllegalStateException("unsupported schema type " + schema.getType() + " for " + where);
        }
    }

    private static String requiredText(ObjectNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
            throw new InvalidEventException("MISSING_FIELD", "missing required field '" + name + "'");
        }
        if (!value.isValueNode()) {
            throw new InvalidEventException("INVALID_FIELD", name + ": expected a string");
        }
        return value.asText();
    }

    /** The contract's JSON form of an event (one line, no trailing newline). */
    public static String write(CrmEvent event) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            gen.writeStartObject();
            gen.writeStringField("eventId", event.getEventId());
            gen.writeStringField("type", event.getType().name());
            gen.writeStringField("occurredAt", event.getOccurredAt().toString());
            if (event.getOrigin() != null) {
                gen.writeStringField("origin", event.getOrigin());
            }
            SpecificRecord payload = (SpecificRecord) event.getPayload();
            for (Schema.Field field : payload.getSchema().getFields()) {
                Object value = payload.get(field.pos());
                if (value == null) {
                    continue;
                }
                if (value instanceof Integer i) {
                    gen.writeNumberField(field.name(), i);
                } else {
                    gen.writeStringField(field.name(), value.toString());
                }
            }
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
