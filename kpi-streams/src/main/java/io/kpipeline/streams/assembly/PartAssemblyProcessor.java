package io.kpipeline.streams.assembly;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.DeadLetter;
import io.kpipeline.schemas.event.EntityKey;
import io.kpipeline.schemas.event.EventJson;
import io.kpipeline.schemas.event.InvalidEventException;
import io.kpipeline.schemas.part.EventPart;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The assembly stage: reads {@code crm-event-parts}, folds each key's parts into its state (a touchpoint's
 * {@link TouchpointAssembly}, an account's {@link SubscriptionChurn}) and forwards the canonical events they make,
 * keyed by entity, for {@code crm-events}. A touchpoint complete on deals only is logged on them a minute (at most
 * {@code wait}) after its first part arrived, unless its lead's association came meanwhile. One still incomplete {@code wait} after its first part arrived
 * (by the wall clock: a part that never comes has no event time) is dead-lettered once, naming what it lacks; its
 * state is kept, so the missing part arriving later still completes it. A part that is not one, or that breaks the
 * contract once assembled, is dead-lettered with its reason.
 */
public final class PartAssemblyProcessor implements Processor<byte[], byte[], String, Object> {
    public static final String STATE_STORE = "part-assembly", WAITING_STORE = "part-assembly-waiting";
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration GRACE = Duration.ofMinutes(1);

    private final Duration wait;
    /** how long a touchpoint complete on deals only waits for its lead's association before it is logged on the deals */
    private final Duration grace;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, byte[]> states;
    private KeyValueStore<String, Long> waiting;

    public PartAssemblyProcessor(Duration wait) {
        this.wait = wait;
        this.grace = wait.compareTo(GRACE) < 0 ? wait : GRACE;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.states = context.getStateStore(STATE_STORE);
        this.waiting = context.getStateStore(WAITING_STORE);
        Duration every = grace.dividedBy(4).compareTo(Duration.ofSeconds(15)) < 0 ? grace.dividedBy(4) : Duration.ofSeconds(15);
        context.schedule(every.isZero() ? Duration.ofMillis(100) : every, PunctuationType.WALL_CLOCK_TIME, this::reportIncomplete);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        EventPart part;
        try {
            part = EventPart.fromJson(record.value());
        } catch (InvalidEventException e) {
            deadLetter(e, null, record.value(), record.timestamp());
            return;
        }
        String key = part.kind() + "|" + part.key();
        try {
            byte[] stored = states.get(key);
            ObjectNode state = stored == null ? null : (ObjectNode) JSON.readTree(stored);
            List<ObjectNode> events = new ArrayList<>();
            switch (part.kind()) {
                case TOUCHPOINT -> {
                    TouchpointAssembly.Result r = TouchpointAssembly.apply(state == null ? TouchpointAssembly.empty() : state, part);
                    state = r.state();
                    events.addAll(r.events());
                    boolean reported = state.path("reported").asBoolean(false);
                    boolean settles = r.incomplete() && TouchpointAssembly.missing(state).isEmpty();
                    if (r.incomplete() && (settles || !reported)) {
                        if (waiting.get(key) == null) {
                            // dead-lettered already: its wait is over, so it settles at the next round
                            waiting.put(key, context.currentSystemTimeMs() - (reported ? wait.toMillis() : 0));
                        }
                    } else {
                        waiting.delete(key);
                    }
                }
                case SUBSCRIPTION -> {
                    state = state == null ? SubscriptionChurn.empty() : state;
                    SubscriptionChurn.apply(state, part).ifPresent(events::add);
                }
            }
            states.put(key, JSON.writeValueAsBytes(state));
            for (ObjectNode event : events) {
                forward(event, part, record.timestamp());
            }
        } catch (InvalidEventException e) {
            deadLetter(e, null, record.value(), record.timestamp());
        } catch (IOException e) {
            throw new IllegalStateException("the assembly state of " + key + " is unreadable", e);
        }
    }

    private void forward(ObjectNode event, EventPart part, long timestamp) {
        CrmEvent e;
        try {
            e = EventJson.fromTree(event);
        } catch (InvalidEventException bad) {
            // a part's values made an event the contract refuses: the part is what to look at
            deadLetter(bad, event.path("eventId").asText(null), part == null ? event.toString().getBytes(StandardCharsets.UTF_8) : part.toJson(), timestamp);
            return;
        }
        context.forward(new Record<>(EntityKey.of(e), (Object) e, e.getOccurredAt().toEpochMilli()));
    }

    /** Dead-letters each touchpoint that has waited its time incomplete, once. */
    private void reportIncomplete(long now) {
        List<String> due = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = waiting.all()) {
            while (it.hasNext()) {
                KeyValue<String, Long> e = it.next();
                if (now - e.value >= grace.toMillis()) {
                    due.add(e.key);
                }
            }
        }
        for (String key : due) {
            byte[] stored = states.get(key);
            if (stored == null) {
                waiting.delete(key);
                continue;
            }
            try {
                ObjectNode state = (ObjectNode) JSON.readTree(stored);
                List<String> missing = TouchpointAssembly.missing(state);
                if (missing.isEmpty()) {
                    // complete on deals only, its grace passed: logged on them now
                    List<ObjectNode> events = TouchpointAssembly.settle(state);
                    states.put(key, JSON.writeValueAsBytes(state));
                    waiting.delete(key);
                    for (ObjectNode event : events) {
                        forward(event, null, now);
                    }
                    continue;
                }
                if (now - waiting.get(key) < wait.toMillis()) {
                    continue;
                }
                waiting.delete(key);
                state.put("reported", true);
                states.put(key, JSON.writeValueAsBytes(state));
                String what = key.substring(key.indexOf('|') + 1);
                String touchpoint = state.path("created").path("touchpointId").asText(what);
                InvalidEventException reason = new InvalidEventException("INCOMPLETE",
                        "touchpoint " + touchpoint + " (" + what + ") is still incomplete " + wait.toMinutes() + " min after its first part: it lacks "
                                + String.join(", ", missing) + "; it is logged if the rest arrives");
                deadLetter(reason, null, state.path("raw").asText("").getBytes(StandardCharsets.UTF_8), now);
            } catch (IOException e) {
                throw new IllegalStateException("the assembly state of " + key + " is unreadable", e);
            }
        }
    }

    private void deadLetter(InvalidEventException e, String eventId, byte[] raw, long timestamp) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        DeadLetter dl = new DeadLetter(e.getMessage(), e.reasonCode(), "kpi-assembly", null, null, eventId,
                meta == null ? null : meta.topic(), meta == null ? null : meta.partition(), meta == null ? null : meta.offset(),
                ByteBuffer.wrap(raw == null ? new byte[0] : raw), Instant.now());
        context.forward(new Record<>((String) null, (Object) dl, timestamp));
    }
}
