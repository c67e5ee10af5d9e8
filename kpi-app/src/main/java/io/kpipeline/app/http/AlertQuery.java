package io.kpipeline.app.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kpipeline.avro.Alert;
import io.kpipeline.streams.alerts.AlertCodec;
import io.kpipeline.streams.query.QueryException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** {@code GET /api/alerts}: alerts from the alert store, filtered, newest first. */
public final class AlertQuery {
    static final Set<String> RULES = Set.of("lead_response_sla_breached", "lead_response_sla_escalated", "rep_response_degraded");
    private static final int MAX = 1000;

    private AlertQuery() {
    }

    /** Validates a filter; the same rules apply to the alert stream. */
    static void validate(String status, String rule) {
        if (status != null && !status.equals("open") && !status.equals("all")) {
            throw new QueryException(400, "status: must be open or all, got '" + status + "'");
        }
        if (rule != null && !RULES.contains(rule)) {
            throw new QueryException(400, "rule: unknown rule '" + rule + "' (one of " + RULES + ")");
        }
    }

    static boolean matches(Alert a, String status, String rep, String team, String rule) {
        return (status == null || status.equals("all") || a.getStatus().equals(status))
                && (rep == null || rep.equals(a.getRepId()))
                && (team == null || team.equals(a.getTeamId()))
                && (rule == null || rule.equals(a.getRule()));
    }

    public static ArrayNode list(ReadOnlyKeyValueStore<String, byte[]> store, String status, String rep, String team, String rule) {
        return list(List.of(store), status, rep, team, rule);
    }

    /** From several stores (lead and rep alerts). */
    public static ArrayNode list(List<ReadOnlyKeyValueStore<String, byte[]>> stores, String status, String rep, String team, String rule) {
        validate(status, rule);
        String s = status == null ? "open" : status;
        List<Alert> found = new ArrayList<>();
        for (ReadOnlyKeyValueStore<String, byte[]> store : stores) {
            try (KeyValueIterator<String, byte[]> it = store.all()) {
                while (it.hasNext()) {
                    KeyValue<String, byte[]> kv = it.next();
                    Alert a = AlertCodec.decode(kv.value);
                    if (matches(a, s, rep, team, rule)) {
                        found.add(a);
                    }
                }
            }
        }
        found.sort(Comparator.comparing(Alert::getFiredAt).reversed().thenComparing(Alert::getId));
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        found.stream().limit(MAX).forEach(a -> out.add(AlertCodec.json(a)));
        return out;
    }

    /** One list from the lists of disjoint shares of the alerts (each instance's): newest first, at most as many. */
    public static ArrayNode merge(ArrayNode local, List<? extends com.fasterxml.jackson.databind.JsonNode> others) {
        List<com.fasterxml.jackson.databind.JsonNode> all = new ArrayList<>();
        local.forEach(all::add);
        others.forEach(o -> o.forEach(all::add));
        all.sort(Comparator.comparing((com.fasterxml.jackson.databind.JsonNode a) -> java.time.Instant.parse(a.get("firedAt").asText())).reversed()
                .thenComparing(a -> a.get("id").asText()));
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        all.stream().limit(MAX).forEach(out::add);
        return out;
    }
}
