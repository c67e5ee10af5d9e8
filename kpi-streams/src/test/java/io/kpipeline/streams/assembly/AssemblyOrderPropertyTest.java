package io.kpipeline.streams.assembly;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.schemas.part.EventPart;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever order a source's parts arrive in, and however often each: the touchpoints the engine ends up with (each
 * one's time from its first event, its fields from its latest, as the engine folds a touchpoint's events) and the
 * churn sent are the same.
 */
class AssemblyOrderPropertyTest {
    /** A call with an outcome changed twice, another owner, on a lead and a deal. */
    static final List<EventPart> CALL = List.of(Parts.created("2026-11-02T09:03:05Z"),
            Parts.touch("ts", "2026-11-02T09:03:05Z", "set", Map.of("occurredAt", "2026-11-02T09:03:00Z")),
            Parts.touch("dir", "2026-11-02T09:03:05Z", "set", Map.of("direction", "OUTBOUND")),
            Parts.touch("o1", "2026-11-02T09:04:00Z", "set", Map.of("outcome", "NEGATIVE")),
            Parts.touch("o2", "2026-11-02T09:10:00Z", "set", Map.of("outcome", "POSITIVE")),
            Parts.touch("r1", "2026-11-02T09:03:05Z", "set", Map.of("repId", "R-7", "teamId", "T-emea")),
            Parts.touch("r2", "2026-11-02T11:00:00Z", "set", Map.of("repId", "R-8", "teamId", "")),
            Parts.touch("l1", "2026-11-02T09:03:20Z", "linked", Map.of("leadId", "5101")),
            Parts.touch("d1", "2026-11-02T09:03:20Z", "linked", Map.of("dealId", "D-1")));
    static final List<EventPart> SUBSCRIPTIONS = List.of(
            Parts.subscription("e1", "2026-09-01T00:00:01Z", "A", "s1", "active", null),
            Parts.subscription("e2", "2026-09-01T00:00:02Z", "A", "s2", "trialing", null),
            Parts.subscription("e3", "2026-09-15T00:00:00Z", "A", "s2", "active", null),
            Parts.subscription("e4", "2026-11-10T12:00:05Z", "A", "s1", "canceled", "2026-11-10T12:00:00Z"),
            Parts.subscription("e5", "2026-11-20T17:30:05Z", "A", "s2", "canceled", "2026-11-20T17:30:00Z"));

    @Property(tries = 300)
    void touchpointsDoNotDependOnArrivalOrderOrRepeats(@ForAll("arrivals") List<Integer> order) {
        assertThat(touchpoints(arrange(CALL, order))).isEqualTo(touchpoints(CALL));
    }

    /**
     * Of an account's subscriptions the assembly knows those it has heard of, so this holds where every subscription
     * was heard of before the cancellations (Stripe tells of a subscription when it starts and at each renewal, long
     * before it ends): starts in any order, ends in any order, repeats anywhere after the first delivery.
     */
    @Property(tries = 300)
    void churnDoesNotDependOnArrivalOrderOrRepeats(@ForAll("starts") List<Integer> starts, @ForAll("ends") List<Integer> ends,
                                                  @ForAll("arrivals") List<Integer> repeats) {
        List<EventPart> parts = new ArrayList<>(arrange(SUBSCRIPTIONS, starts));
        parts.addAll(arrange(SUBSCRIPTIONS, ends));
        repeats.stream().filter(i -> i < SUBSCRIPTIONS.size()).forEach(i -> parts.add(SUBSCRIPTIONS.get(i)));
        assertThat(churns(parts)).isEqualTo(churns(SUBSCRIPTIONS));
    }

    @Provide
    Arbitrary<List<Integer>> starts() {
        return Arbitraries.shuffle(0, 1, 2);
    }

    @Provide
    Arbitrary<List<Integer>> ends() {
        return Arbitraries.shuffle(3, 4);
    }

    @Provide
    Arbitrary<List<Integer>> arrivals() {
        // each index at least once (a permutation), then some again: repeats anywhere
        return Arbitraries.integers().between(0, 8).list().ofMaxSize(6).flatMap(extra ->
                Arbitraries.shuffle(concat(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8), extra)));
    }

    static List<Integer> concat(List<Integer> a, List<Integer> b) {
        List<Integer> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    static List<EventPart> arrange(List<EventPart> parts, List<Integer> order) {
        return order.stream().filter(i -> i < parts.size()).map(parts::get).toList();
    }

    /** Per entity, the touchpoint as the engine keeps it: first event's time, latest event's fields. */
    static Map<String, String> touchpoints(List<EventPart> parts) {
        ObjectNode state = TouchpointAssembly.empty();
        Map<String, List<ObjectNode>> byEntity = new TreeMap<>();
        for (EventPart p : parts) {
            for (ObjectNode e : TouchpointAssembly.apply(state, p).events()) {
                String entity = e.has("leadId") ? "lead:" + e.get("leadId").asText() : "deal:" + e.get("dealId").asText();
                byEntity.computeIfAbsent(entity, k -> new ArrayList<>()).add(e);
            }
        }
        // the grace for a lead's association passes after the last part
        for (ObjectNode e : TouchpointAssembly.settle(state)) {
            String entity = e.has("leadId") ? "lead:" + e.get("leadId").asText() : "deal:" + e.get("dealId").asText();
            byEntity.computeIfAbsent(entity, k -> new ArrayList<>()).add(e);
        }
        Map<String, String> kept = new TreeMap<>();
        Comparator<ObjectNode> engineOrder = Comparator.<ObjectNode, Instant>comparing(e -> Instant.parse(e.get("occurredAt").asText()))
                .thenComparing(e -> e.get("eventId").asText());
        byEntity.forEach((entity, events) -> {
            ObjectNode first = events.stream().min(engineOrder).orElseThrow().deepCopy();
            ObjectNode latest = events.stream().max(engineOrder).orElseThrow().deepCopy();
            latest.remove(List.of("eventId", "occurredAt"));
            kept.put(entity, first.get("occurredAt").asText() + " " + latest);
        });
        return kept;
    }

    static List<String> churns(List<EventPart> parts) {
        ObjectNode state = SubscriptionChurn.empty();
        List<String> sent = new ArrayList<>();
        for (EventPart p : parts) {
            Optional<ObjectNode> churn = SubscriptionChurn.apply(state, p);
            churn.ifPresent(c -> sent.add(c.toString()));
        }
        return sent;
    }
}
