package io.kpipeline.streams.entity;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.TouchpointLogged;
import io.kpipeline.streams.config.EngineSettings;
import io.kpipeline.streams.event.EventCodec;
import io.kpipeline.streams.event.EventOrder;
import io.kpipeline.streams.store.WriteBehindStore;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.kpipeline.schemas.event.EntityKey.LEAD;
import static io.kpipeline.schemas.event.EntityKey.DEAL;

/**
 * The stored event sets of this task's entities, the contributions each made last, the touchpoints of its leads, and
 * the facts each received from and sent to other entities, with the decoded event sets and folded states cached for
 * the duration of one input.
 */
public final class EntityRepository {
    private final WriteBehindStore<EntityRecord> records;
    private final WriteBehindStore<EntityFacts> facts;
    private final TouchLog touches;
    private final EventCodec codec;
    private static final EntityFacts EMPTY = new EntityFacts();
    /** memo key prefix of a lead's decoded {@link LeadTouches} */
    private static final String TOUCHES = "touches|";
    private final EngineSettings settings;
    private final Map<String, Object> memo = new HashMap<>();
    /** decoded event sets, in contract order: the append's duplicate check and the folds after it share one decoding */
    private final Map<String, List<CrmEvent>> decoded = new HashMap<>();

    public EntityRepository(WriteBehindStore<EntityRecord> records, WriteBehindStore<EntityFacts> facts, TouchLog touches,
                            EventCodec codec, EngineSettings settings) {
        this.records = records;
        this.codec = codec;
        this.facts = facts;
        this.touches = touches;
        this.settings = settings;
    }

    /** Forgets decoded and folded states; call once per input event. */
    public void clearCache() {
        memo.clear();
        decoded.clear();
    }

    /** The entity's events in contract order, a lead's without its touchpoints (not to be modified). */
    public List<CrmEvent> events(String entity) {
        return Collections.unmodifiableList(decoded.computeIfAbsent(entity, k -> {
            EntityRecord record = records.value(k);
            List<CrmEvent> list = codec.decode(record == null ? null : record.events);
            list.sort(EventOrder.ORDER);
            return list;
        }));
    }

    /**
     * Adds an event to its entity's set; false when the set already holds an
     * event with its id (a duplicate delivery, which changes nothing).
     */
    public boolean append(String entity, CrmEvent event) {
        return append(entity, event, null, 0, 0);
    }

    /**
     * As {@link #append(String, CrmEvent)}, with the event's Avro binary encoding in this build's schema when the
     * caller has it ({@code length} bytes of {@code body} from {@code offset}; null: encoded here).
     */
    public boolean append(String entity, CrmEvent event, byte[] body, int offset, int length) {
        if (isDuplicate(entity, event)) {
            return false;
        }
        List<CrmEvent> list = events(entity);
        EntityRecord record = records.update(entity, EntityRecord::new);
        record.events = body == null ? codec.append(record.events, event) : codec.append(record.events, body, offset, length);
        List<CrmEvent> appended = new ArrayList<>(list);
        appended.add(event);
        appended.sort(EventOrder.ORDER);
        decoded.put(entity, appended);
        memo.remove(entity);
        return true;
    }

    /**
     * Logs a touchpoint on a lead (kept apart from the lead's other events); null when the lead already has an event
     * with its id (a duplicate delivery, which changes nothing).
     */
    public TouchLog.Change appendTouch(String entity, CrmEvent event, TouchpointLogged touch) {
        if (isDuplicate(entity, event)) {
            return null;
        }
        memo.remove(entity);
        return touches.add(entity, event, touch);
    }

    private boolean isDuplicate(String entity, CrmEvent event) {
        String id = event.getEventId();
        if (entity.startsWith(LEAD) && touches.seen(entity, id)) {
            return true;
        }
        for (CrmEvent e : events(entity)) {
            if (e.getEventId().equals(id)) {
                return true;
            }
        }
        return false;
    }

    /** The lead's touchpoints, as {@link TouchLog} keeps them. */
    public TouchLog touches() {
        return touches;
    }

    /** What the lead keeps of its touchpoints beside them. */
    public LeadTouches leadTouches(String entity) {
        return memo(TOUCHES + entity, () -> {
            EntityRecord record = records.value(entity);
            return LeadTouches.decode(record == null ? null : record.touches);
        });
    }

    /** A value derived from stored state, computed once per input (the cache is cleared with {@link #clearCache}). */
    @SuppressWarnings("unchecked")
    public <T> T memo(String key, java.util.function.Supplier<T> compute) {
        // not computeIfAbsent: a computation may itself look up other memoized values
        Object value = memo.get(key);
        if (value == null) {
            value = compute.get();
            memo.put(key, value);
        }
        return (T) value;
    }

    public void setLeadTouches(String entity, LeadTouches state) {
        records.update(entity, EntityRecord::new).touches = LeadTouches.encode(state);
        memo.remove(entity);
        memo.put(TOUCHES + entity, state);
    }

    /** The encoded contributions the entity made last, or null. */
    public byte[] contributions(String entity) {
        EntityRecord record = records.value(entity);
        return record == null ? null : record.contributions;
    }

    /** Records the entity's contributions (encoded; null for none). */
    public void setContributions(String entity, byte[] encoded) {
        records.update(entity, EntityRecord::new).contributions = encoded;
    }

    public LeadState lead(String leadId) {
        String entity = LEAD + leadId;
        Object o = memo(entity, () -> Optional.ofNullable(LeadState.fold(leadId, events(entity), leadTouches(entity).summary())));
        return (LeadState) ((Optional<?>) o).orElse(null);
    }

    public DealState deal(String dealId) {
        String entity = DEAL + dealId;
        Object o = memo(entity, () -> Optional.ofNullable(DealState.fold(dealId, events(entity), settings.fx(), settings.calendar())));
        return (DealState) ((Optional<?>) o).orElse(null);
    }

    /** What the entity knows of others and told others (empty when nothing). */
    public EntityFacts facts(String entity) {
        EntityFacts f = facts.value(entity);
        return f == null ? EMPTY : f;
    }

    /** Records the latest facts from {@code source} (null: it has none for the entity any more). */
    public void received(String entity, String source, byte[] bytes) {
        putOrRemove(facts.update(entity, EntityFacts::new).received, source, bytes);
        memo.clear(); // whatever was derived from the facts held
    }

    /** Records the facts last sent to {@code reader} (null: none). */
    public void sent(String entity, String reader, byte[] bytes) {
        putOrRemove(facts.update(entity, EntityFacts::new).sent, reader, bytes);
    }

    private static void putOrRemove(Map<String, byte[]> map, String key, byte[] bytes) {
        if (bytes == null) {
            map.remove(key);
        } else {
            map.put(key, bytes);
        }
    }
}
