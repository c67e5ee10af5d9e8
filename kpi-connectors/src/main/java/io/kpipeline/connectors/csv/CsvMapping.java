package io.kpipeline.connectors.csv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kpipeline.connectors.crm.Canonical;
import io.kpipeline.connectors.crm.Translation;
import io.kpipeline.schemas.event.InvalidEventException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the rows of a CRM export become canonical events, read from a YAML file:
 * <pre>
 * origin: hubspot-export          # optional, default csv
 * time-zone: Europe/Berlin        # for times written without a zone (default UTC)
 * time-format: dd.MM.yyyy HH:mm   # optional; ISO-8601 instants, date-times and dates are always read
 * separator: ";"                  # optional, default ","
 * events:                         # each row makes every event whose 'when' holds
 *   - type: DealCreated
 *     event-id: "deal-{Deal ID}-created"     # {Column} is the row's value of that column
 *     occurred-at: "{Create Date}"
 *     fields:
 *       dealId: "{Deal ID}"
 *       amount: "{Amount}"
 *       stage: {column: Deal Stage, map: {appointmentscheduled: Discovery}}
 *   - type: DealClosed
 *     when: {column: Deal Stage, in: [closedwon, closedlost]}   # or present: true, or not-in: [...]
 *     ...
 * </pre>
 * A template whose column is empty leaves its field out; a value that a {@code map} does not list is an
 * {@code UNMAPPED_FIELD} rejection of that event, never a guess.
 */
public final class CsvMapping {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private final String origin;
    private final ZoneId zone;
    private final DateTimeFormatter timeFormat;
    private final char separator;
    private final List<EventRule> events;

    private CsvMapping(String origin, ZoneId zone, DateTimeFormatter timeFormat, char separator, List<EventRule> events) {
        this.origin = origin;
        this.zone = zone;
        this.timeFormat = timeFormat;
        this.separator = separator;
        this.events = events;
    }

    /** Reads and checks a mapping file; throws {@link IllegalArgumentException} naming the file and the problem. */
    public static CsvMapping load(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readAllBytes(file));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("mapping " + file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException("mapping " + file + ": not YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        try {
            return parse(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mapping " + file + ": " + e.getMessage());
        }
    }

    static CsvMapping parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("expected a YAML object with 'events'");
        }
        allowOnly(root, "", "origin", "time-zone", "time-format", "separator", "events");
        ZoneId zone;
        try {
            zone = ZoneId.of(root.path("time-zone").asText("UTC"));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("time-zone: '" + root.path("time-zone").asText() + "' is not a time zone");
        }
        DateTimeFormatter format = null;
        if (root.hasNonNull("time-format")) {
            try {
                format = DateTimeFormatter.ofPattern(root.get("time-format").asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("time-format: " + e.getMessage());
            }
        }
        String sep = root.path("separator").asText(",");
        if (sep.length() != 1) {
            throw new IllegalArgumentException("separator: one character, got '" + sep + "'");
        }
        JsonNode events = root.path("events");
        if (!events.isArray() || events.isEmpty()) {
            throw new IllegalArgumentException("events: a list of at least one event rule is required");
        }
        List<EventRule> rules = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            rules.add(EventRule.parse(events.get(i), "events[" + i + "]"));
        }
        return new CsvMapping(root.path("origin").asText("csv"), zone, format, sep.charAt(0), rules);
    }

    public char separator() {
        return separator;
    }

    /** Every column the mapping reads, to check against the CSV header before any row is sent. */
    public Set<String> columns() {
        Set<String> out = new LinkedHashSet<>();
        events.forEach(e -> e.columns(out));
        return out;
    }

    /**
     * The canonical events of one row, checked against the contract, or the rejection of each that cannot be made;
     * {@code raw} is the row as it goes to the dead-letter topic.
     */
    public Translation map(Map<String, String> row, String raw) {
        Translation t = new Translation();
        for (EventRule rule : events) {
            if (!rule.applies(row)) {
                continue;
            }
            try {
                String eventId = rule.eventId.resolve(row);
                if (eventId == null) {
                    throw new InvalidEventException("MISSING_FIELD", rule.where + ".event-id: its columns are empty");
                }
                String at = rule.occurredAt.resolve(row);
                if (at == null) {
                    throw new InvalidEventException("MISSING_FIELD", rule.type + ": occurred-at columns are empty");
                }
                Canonical event = Canonical.event(eventId, rule.type, instant(at), origin);
                rule.fields.forEach((field, value) -> event.with(field, value.resolve(row)));
                t.add(event.json(), 0, raw);
            } catch (InvalidEventException e) {
                t.reject(0, e, raw);
            }
        }
        return t;
    }

    private Instant instant(String text) {
        try {
            if (timeFormat != null) {
                try {
                    return LocalDateTime.parse(text, timeFormat).atZone(zone).toInstant();
                } catch (DateTimeParseException e) {
                    return LocalDate.parse(text, timeFormat).atStartOfDay(zone).toInstant();
                }
            }
            if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                return java.time.OffsetDateTime.parse(text.replace(' ', 'T')).toInstant();
            }
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(zone).toInstant();
            }
            return LocalDateTime.parse(text.replace(' ', 'T')).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("INVALID_FIELD", "occurred-at: '" + text + "' is not a time"
                    + (timeFormat == null ? " (ISO-8601; set time-format for others)" : " in the mapping's time-format"));
        }
    }

    static void allowOnly(JsonNode node, String where, String... keys) {
        Set<String> allowed = Set.of(keys);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw new IllegalArgumentException((where.isEmpty() ? "" : where + ": ") + "unknown key '" + k + "' (known: " + String.join(", ", keys) + ")");
            }
        }
    }

    /** One event a row may make. */
    private record EventRule(String where, String type, Value eventId, Value occurredAt, Condition when, Map<String, Value> fields) {
        static EventRule parse(JsonNode node, String where) {
            if (!node.isObject()) {
                throw new IllegalArgumentException(where + ": expected an object");
            }
            allowOnly(node, where, "type", "event-id", "occurred-at", "when", "fields");
            for (String required : List.of("type", "event-id", "occurred-at")) {
                if (!node.hasNonNull(required)) {
                    throw new IllegalArgumentException(where + ": '" + required + "' is required");
                }
            }
            Map<String, Value> fields = new LinkedHashMap<>();
            node.path("fields").fields().forEachRemaining(f -> fields.put(f.getKey(), Value.parse(f.getValue(), where + ".fields." + f.getKey())));
            return new EventRule(where, node.get("type").asText(), Value.parse(node.get("event-id"), where + ".event-id"),
                    Value.parse(node.get("occurred-at"), where + ".occurred-at"),
                    node.has("when") ? Condition.parse(node.get("when"), where + ".when") : null, fields);
        }

        boolean applies(Map<String, String> row) {
            return when == null || when.holds(row);
        }

        void columns(Set<String> out) {
            eventId.columns(out);
            occurredAt.columns(out);
            fields.values().forEach(v -> v.columns(out));
            if (when != null) {
                out.add(when.column);
            }
        }
    }

    /** {@code in}, {@code not-in} or {@code present} on one column. */
    private record Condition(String column, Set<String> in, Set<String> notIn, boolean present) {
        static Condition parse(JsonNode node, String where) {
            allowOnly(node, where, "column", "in", "not-in", "present");
            if (!node.hasNonNull("column")) {
                throw new IllegalArgumentException(where + ": 'column' is required");
            }
            return new Condition(node.get("column").asText(), set(node.get("in")), set(node.get("not-in")), node.path("present").asBoolean(false));
        }

        boolean holds(Map<String, String> row) {
            String v = blankToNull(row.get(column));
            return (in == null || (v != null && in.contains(v))) && (notIn == null || v == null || !notIn.contains(v)) && (!present || v != null);
        }

        private static Set<String> set(JsonNode list) {
            if (list == null || list.isNull()) {
                return null;
            }
            Set<String> out = new LinkedHashSet<>();
            list.forEach(v -> out.add(v.asText()));
            return out;
        }
    }

    /** A template ("deal-{Deal ID}") or a column looked up in a map, with a default. */
    private record Value(List<String> literals, List<String> columns, String column, Map<String, String> map, String fallback) {
        static Value parse(JsonNode node, String where) {
            if (node.isValueNode()) {
                List<String> literals = new ArrayList<>(), columns = new ArrayList<>();
                String text = node.asText();
                int i = 0;
                while (true) {
                    int open = text.indexOf('{', i);
                    if (open < 0) {
                        literals.add(text.substring(i));
                        break;
                    }
                    int close = text.indexOf('}', open);
                    if (close < 0) {
                        throw new IllegalArgumentException(where + ": '{' without '}' in \"" + text + "\"");
                    }
                    literals.add(text.substring(i, open));
                    columns.add(text.substring(open + 1, close));
                    i = close + 1;
                }
                return new Value(literals, columns, null, null, null);
            }
            allowOnly(node, where, "column", "map", "default");
            if (!node.hasNonNull("column")) {
                throw new IllegalArgumentException(where + ": 'column' is required (or give a template string)");
            }
            Map<String, String> map = null;
            if (node.has("map")) {
                map = new LinkedHashMap<>();
                Map<String, String> m = map;
                node.get("map").fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
            }
            return new Value(null, null, node.get("column").asText(), map, node.hasNonNull("default") ? node.get("default").asText() : null);
        }

        String resolve(Map<String, String> row) {
            if (literals != null) {
                StringBuilder out = new StringBuilder(literals.get(0));
                for (int i = 0; i < columns.size(); i++) {
                    String v = blankToNull(row.get(columns.get(i)));
                    if (v == null) {
                        return null;
                    }
                    out.append(v).append(literals.get(i + 1));
                }
                return out.toString();
            }
            String v = blankToNull(row.get(column));
            if (v == null) {
                return fallback;
            }
            if (map == null) {
                return v;
            }
            String mapped = map.get(v);
            if (mapped == null) {
                throw new InvalidEventException("UNMAPPED_FIELD", "column '" + column + "': value '" + v + "' is not in the mapping's map");
            }
            return mapped;
        }

        void columns(Set<String> out) {
            if (columns != null) {
                out.addAll(columns);
            } else {
                out.add(column);
            }
        }
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
