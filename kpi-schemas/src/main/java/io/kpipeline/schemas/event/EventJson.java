package io.kpipeline.schemas.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
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
    /** Every field name of the contract, envelope first; a name that several types use has one slot. */
    private static final List<String> SLOT_NAMES = new ArrayList<>(List.of("eventId", "type", "occurredAt", "origin"));
    private static final int EVENT_ID = 0, TYPE = 1, OCCURRED_AT = 2, ORIGIN = 3;
    private static final Map<String, Integer> SLOTS = new HashMap<>();
    /** For each type, how to read each of its payload's fields, by field position: resolved once, not per event. */
    private static final Map<EventType, PayloadField[]> RULES = new EnumMap<>(EventType.class);
    private static final Map<EventType, java.lang.reflect.Constructor<?>> PAYLOAD_CLASSES = new EnumMap<>(EventType.class);

    static {
        for (int i = 0; i < SLOT_NAMES.size(); i++) {
            SLOTS.put(SLOT_NAMES.get(i), i);
        }
        for (Schema branch : CrmEvent.getClassSchema().getField("payload").schema().getTypes()) {
            EventType type = EventType.valueOf(branch.getName());
            PayloadField[] rules = new PayloadField[branch.getFields().size()];
            for (Schema.Field field : branch.getFields()) {
                int slot = SLOTS.computeIfAbsent(field.name(), name -> {
                    SLOT_NAMES.add(name);
                    return SLOT_NAMES.size() - 1;
                });
                rules[field.pos()] = PayloadField.of(field, slot);
            }
            RULES.put(type, rules);
            try {
                PAYLOAD_CLASSES.put(type, SpecificData.get().getClass(branch).getDeclaredConstructor());
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("generated class of " + branch.getName() + " has no no-arg constructor", e);
            }
        }
    }

    private EventJson() {
    }

    /** Parses and validates one JSON line; throws {@link InvalidEventException} naming what is wrong. */
    public static CrmEvent parse(String line) {
        byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return parse(bytes, 0, bytes.length);
    }

    /**
     * Parses and validates one JSON object from UTF-8 bytes, streaming: no tree is built, the contract's fields are
     * picked out as they pass and the rest is skipped. The bulk importer's path; it accepts and rejects exactly what
     * {@link #fromTree} does (held by a property test).
     */
    public static CrmEvent parse(byte[] json, int offset, int length) {
        Fields fields = FIELDS.get().clear();
        try (JsonParser p = FACTORY.createParser(json, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidEventException("INVALID_JSON", "invalid JSON: expected one object per line");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                Integer slot = SLOTS.get(p.currentName());
                JsonToken value = p.nextToken();
                if (slot == null) {
                    p.skipChildren(); // fields the contract does not name are ignored
                } else if (value == JsonToken.VALUE_STRING) {
                    fields.set(slot, p.getText(), null);
                } else if (value == JsonToken.VALUE_NULL) {
                    fields.set(slot, null, null);
                } else {
                    // numbers, booleans and containers are rare here: read them as the tree path does, so both agree
                    JsonNode node = MAPPER.readTree(p);
                    fields.set(slot, null, node);
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new InvalidEventException("INVALID_JSON", "invalid JSON: the object is not closed");
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidEventException invalid) {
                throw invalid;
            }
            // Jackson reports some malformed numbers (an exponent overflow) as unchecked exceptions
            throw new InvalidEventException("INVALID_JSON", "invalid JSON: " + firstLine(e.getMessage()));
        }
        return build(fields);
    }

    /** JSON as this class reads it (decimals kept exact); throws {@link InvalidEventException} when it is not JSON. */
    public static JsonNode readTree(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException | RuntimeException e) {
            throw new InvalidEventException("INVALID_JSON", "invalid JSON: " + firstLine(e.getMessage()));
        }
    }

    /** Validates an already-parsed JSON object (webhooks hand these over). */
    public static CrmEvent fromTree(ObjectNode node) {
        Fields fields = FIELDS.get().clear();
        for (var it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            Integer slot = SLOTS.get(e.getKey());
            if (slot != null) {
                JsonNode v = e.getValue();
                if (v.isTextual()) {
                    fields.set(slot, v.textValue(), null);
                } else if (v.isNull()) {
                    fields.set(slot, null, null);
                } else {
                    fields.set(slot, null, v);
                }
            }
        }
        return build(fields);
    }

    /**
     * The contract's fields of one JSON object by slot: a string's text, or the node of any other value (a number,
     * a boolean, an object or array); neither for a field that is absent or null. One per thread, cleared after
     * each object (only the slots it set), since a bulk import fills one per line.
     */
    private static final class Fields {
        final String[] text = new String[SLOT_NAMES.size()];
        final JsonNode[] node = new JsonNode[SLOT_NAMES.size()];
        private final int[] touched = new int[SLOT_NAMES.size()];
        private final boolean[] isTouched = new boolean[SLOT_NAMES.size()];
        private int touchedCount;

        void set(int slot, String t, JsonNode n) {
            text[slot] = t;
            node[slot] = n;
            if (!isTouched[slot]) {
                isTouched[slot] = true;
                touched[touchedCount++] = slot;
            }
        }

        boolean absent(int slot) {
            return text[slot] == null && node[slot] == null;
        }

        /** The value as text, as a tree's {@code asText()} gives it. */
        String asText(int slot) {
            return text[slot] != null ? text[slot] : node[slot].asText();
        }

        Fields clear() {
            for (int i = 0; i < touchedCount; i++) {
                int slot = touched[i];
                text[slot] = null;
                node[slot] = null;
                isTouched[slot] = false;
            }
            touchedCount = 0;
            return this;
        }
    }

    private static final ThreadLocal<Fields> FIELDS = ThreadLocal.withInitial(Fields::new);

    private static CrmEvent build(Fields f) {
        String eventId = requiredText(f, EVENT_ID);
        String typeText = requiredText(f, TYPE);
        EventType type;
        try {
            type = EventType.valueOf(typeText);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("UNKNOWN_TYPE", "unknown type '" + typeText + "'");
        }
        String occurredText = requiredText(f, OCCURRED_AT);
        Instant occurredAt = instant(occurredText);
        SpecificRecord payload;
        try {
            payload = (SpecificRecord) PAYLOAD_CLASSES.get(type).newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create a " + type + " payload", e);
        }
        for (PayloadField rule : RULES.get(type)) {
            int slot = rule.slot();
            payload.put(rule.pos(), rule.read(type, f.absent(slot) ? null : f.asText(slot), f.node[slot]));
        }
        CrmEvent event = new CrmEvent(eventId, type, occurredAt, f.absent(ORIGIN) ? null : f.asText(ORIGIN), payload);
        EventRules.check(event);
        return event;
    }

    /**
     * An ISO-8601 instant. The common form ({@code 2026-11-02T09:15:00Z}, optionally with a fraction) is read
     * directly; {@code Instant.parse} builds a formatter on every call on Java 17, a third of a bulk import's parse
     * time. Anything else goes to {@code Instant.parse}, so the accepted forms are exactly its.
     */
    static Instant instant(String text) {
        Instant fast = InstantText.parse(text);
        if (fast != null) {
            return fast;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("INVALID_FIELD", "occurredAt: not an ISO-8601 instant: '" + text + "'");
        }
    }

    private static String requiredText(Fields f, int slot) {
        String name = SLOT_NAMES.get(slot);
        JsonNode node = f.node[slot];
        if (f.absent(slot) || (f.text[slot] != null && f.text[slot].isBlank())) {
            throw new InvalidEventException("MISSING_FIELD", "missing required field '" + name + "'");
        }
        if (node != null && !node.isValueNode()) {
            throw new InvalidEventException("INVALID_FIELD", name + ": expected a string");
        }
        return f.asText(slot);
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
