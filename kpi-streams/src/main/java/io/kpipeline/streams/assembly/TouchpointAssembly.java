package io.kpipeline.streams.assembly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.schemas.part.EventPart;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A touchpoint from its parts (an engagement's creation, properties and associations, in any order): complete when
 * the creation, every field the creation says the channel requires (its time; for calls and emails their direction)
 * and an association to a lead or deal have arrived and the engagement is not deleted. Then one
 * {@code TouchpointLogged} per associated lead (with the deal, when the engagement is on exactly one), or, when it is
 * on no lead once its grace has passed ({@link #settle}), per deal; a later change of its fields (an outcome set after the call, another owner) is another
 * {@code TouchpointLogged} of the same touchpoint id, which the engine folds into the one it has. What the contract
 * cannot say is not said: an association removed or an engagement deleted after its touchpoint was logged leaves
 * the touchpoint as it was.
 *
 * <p>The state is a JSON object: {@code created}, {@code fields} and {@code links} as {@link Latest} slots,
 * {@code emitted} (per target, the number of events sent, what the last said and its time), {@code latestAt} (the
 * latest part's time) and {@code reported} (the incomplete state was dead-lettered).
 */
final class TouchpointAssembly {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** What the engagement's parts now make: events to send (canonical JSON), and whether it is still incomplete. */
    record Result(ObjectNode state, List<ObjectNode> events, boolean incomplete) {
    }

    private TouchpointAssembly() {
    }

    static ObjectNode empty() {
        ObjectNode s = JSON.objectNode();
        s.putObject("fields");
        s.putObject("links");
        s.putObject("emitted");
        return s;
    }

    static Result apply(ObjectNode state, EventPart part) {
        ObjectNode fields = (ObjectNode) state.get("fields");
        ObjectNode links = (ObjectNode) state.get("links");
        if (!state.has("origin")) {
            state.put("origin", part.origin());
        }
        if (!state.has("raw") && part.raw() != null) {
            state.put("raw", part.raw());
        }
        if (!state.has("latestAt") || part.at().isAfter(Instant.parse(state.get("latestAt").asText()))) {
            state.put("latestAt", part.at().toString());
        }
        switch (part.action()) {
            case "created" -> {
                if (Latest.later(state.get("created"), part)) {
                    ObjectNode c = state.putObject("created").put("at", part.at().toString()).put("id", part.partId());
                    part.values().forEach(c::put);
                }
                Latest.put(state, "deleted", part, "false");
            }
            case "set" -> part.values().forEach((field, value) -> Latest.put(fields, field, part, value));
            case "linked", "unlinked" -> part.values().forEach((field, id) ->
                    Latest.put(links, field + ":" + id, part, part.action().equals("linked") ? "true" : "false"));
            case "deleted" -> Latest.put(state, "deleted", part, "true");
            case "restored" -> Latest.put(state, "deleted", part, "false");
            default -> throw new io.kpipeline.schemas.event.InvalidEventException("INVALID_FIELD",
                    "a touchpoint part's action is created, set, linked, unlinked, deleted or restored, not '" + part.action() + "'");
        }
        List<String> missing = missing(state);
        if (!missing.isEmpty()) {
            return new Result(state, List.of(), state.get("emitted").isEmpty());
        }
        List<ObjectNode> events = emit(state, part.at());
        // on deals only, not settled yet: waits (the lead's association usually follows within seconds)
        return new Result(state, events, state.get("emitted").isEmpty());
    }

    /**
     * An engagement complete but on deals only is logged on its deals once it has had time to get its lead's
     * association ({@code settle} after a grace the processor keeps): a touchpoint logged on a deal and then on its
     * lead would count twice. Returns what that logs; nothing when it is on a lead or incomplete.
     */
    static List<ObjectNode> settle(ObjectNode state) {
        if (!missing(state).isEmpty() || state.path("settled").asBoolean(false) || !logged(state).isEmpty()) {
            return List.of();
        }
        state.put("settled", true);
        return emit(state, Instant.parse(state.get("latestAt").asText()));
    }

    /** What the touchpoint still needs, in words for a dead letter; empty when it is complete. */
    static List<String> missing(ObjectNode state) {
        List<String> missing = new ArrayList<>();
        JsonNode created = state.get("created");
        if (created == null) {
            missing.add("its creation");
        } else {
            for (String field : created.path("requires").asText("").split(",")) {
                if (!field.isBlank() && Latest.value(state.get("fields"), field) == null) {
                    missing.add(field.equals("occurredAt") ? "its time (occurredAt)" : "its " + field);
                }
            }
        }
        if (targets(state).isEmpty()) {
            missing.add("an association to a lead or a deal");
        }
        if ("true".equals(Latest.value(state, "deleted"))) {
            missing.add("to exist (it was deleted)");
        }
        return missing;
    }

    /** Entity key of each touchpoint to log, to its lead and deal ids. */
    private static Map<String, String[]> targets(ObjectNode state) {
        List<String> leads = new ArrayList<>(), deals = new ArrayList<>();
        state.get("links").fields().forEachRemaining(e -> {
            if ("true".equals(e.getValue().get("v").asText())) {
                String[] link = e.getKey().split(":", 2);
                (link[0].equals("leadId") ? leads : deals).add(link[1]);
            }
        });
        Map<String, String[]> targets = new TreeMap<>();
        String deal = deals.size() == 1 ? deals.get(0) : null;
        leads.forEach(l -> targets.put("lead:" + l, new String[]{l, deal}));
        if (leads.isEmpty() || state.path("settled").asBoolean(false)) {
            // logged on its deals once settled; one also on a lead associated later would count twice (noted)
            deals.forEach(d -> targets.putIfAbsent("deal:" + d, new String[]{null, d}));
        }
        return targets;
    }

    /** Entities the touchpoint is logged on now: its leads; its deals once settled (or when on no lead and settled). */
    private static Map<String, String[]> logged(ObjectNode state) {
        Map<String, String[]> all = targets(state);
        if (state.path("settled").asBoolean(false)) {
            return all;
        }
        all.keySet().removeIf(k -> k.startsWith("deal:"));
        return all;
    }

    private static List<ObjectNode> emit(ObjectNode state, Instant partAt) {
        JsonNode created = state.get("created"), fields = state.get("fields");
        ObjectNode emitted = (ObjectNode) state.get("emitted");
        Instant at = Instant.parse(Latest.value(fields, "occurredAt"));
        List<ObjectNode> events = new ArrayList<>();
        for (Map.Entry<String, String[]> target : logged(state).entrySet()) {
            String touchpointId = created.get("touchpointId").asText();
            ObjectNode body = JSON.objectNode().put("touchpointId", touchpointId).put("channel", created.get("channel").asText());
            put(body, "leadId", target.getValue()[0]);
            put(body, "dealId", target.getValue()[1]);
            put(body, "repId", Latest.value(fields, "repId"));
            put(body, "direction", Latest.value(fields, "direction"));
            put(body, "outcome", Latest.value(fields, "outcome"));
            String said = body.toString();
            JsonNode before = emitted.get(target.getKey());
            if (before != null && before.get("said").asText().equals(said)) {
                continue;
            }
            int n = before == null ? 1 : before.get("n").asInt() + 1;
            // a change is later in the engine's order than everything sent before it (at the same instant by its
            // numbered id), so its fields replace theirs while the touchpoint keeps the time of the first
            Instant occurred = n == 1 ? at : latest(at, partAt.isAfter(Instant.parse(state.get("latestAt").asText())) ? partAt
                    : Instant.parse(state.get("latestAt").asText()), Instant.parse(before.get("at").asText()));
            emitted.putObject(target.getKey()).put("n", n).put("said", said).put("at", occurred.toString());
            ObjectNode event = JSON.objectNode().put("eventId", touchpointId + ":" + target.getKey() + ":" + String.format("%06d", n)).put("type", "TouchpointLogged")
                    .put("occurredAt", occurred.toString()).put("origin", state.path("origin").asText(null));
            event.setAll(body);
            events.add(event);
        }
        return events;
    }

    private static Instant latest(Instant a, Instant b, Instant c) {
        Instant ab = a.isAfter(b) ? a : b;
        return ab.isAfter(c) ? ab : c;
    }

    private static void put(ObjectNode node, String field, String value) {
        if (value != null && !value.isBlank()) {
            node.put(field, value);
        }
    }
}
