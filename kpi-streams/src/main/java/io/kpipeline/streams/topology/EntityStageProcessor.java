package io.kpipeline.streams.topology;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.DeadLetter;
import io.kpipeline.avro.TouchpointLogged;
import io.kpipeline.schemas.event.EntityKey;
import io.kpipeline.schemas.event.InvalidEventException;
import io.kpipeline.schemas.serde.WireFormat;
import io.kpipeline.streams.aggregate.Cell;
import io.kpipeline.streams.aggregate.DeltaBatch;
import io.kpipeline.streams.aggregate.DeltaBuffer;
import io.kpipeline.streams.aggregate.Parts;
import io.kpipeline.streams.entity.EntityRecord;
import io.kpipeline.streams.entity.TouchLog;
import io.kpipeline.streams.facts.Counterparts;
import io.kpipeline.streams.facts.FactsMessage;
import io.kpipeline.streams.store.WriteBehindStore;
import io.kpipeline.streams.config.EngineSettings;
import io.kpipeline.streams.entity.EntityRepository;
import io.kpipeline.streams.event.CrmEventSerde;
import io.kpipeline.streams.event.Admission;
import io.kpipeline.streams.event.EventCodec;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.kpipeline.schemas.event.EntityKey.LEAD;
import static io.kpipeline.schemas.event.EntityKey.DEAL;

/**
 * The entity stage, one task per partition of entities: stores each valid event in its entity's event set (a lead's
 * touchpoints apart, {@link LeadTouchpoints}), deduplicated by eventId and refused when older than the correction
 * horizon against the stream time of this instance's entity tasks ({@link StreamClock}), refolds the entity, and sums the difference between its old and new contributions per cell until the next commit, when
 * the sums go to {@code kpi-deltas}. Facts from linked entities arrive on the facts topic and refresh their reader
 * the same way; an entity whose facts for a reader change sends them there.
 */
final class EntityStageProcessor implements Processor<String, Object, String, Object> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EntityStageProcessor.class);
    /** cells summed before they are sent between commits anyway: bounds the buffer in a long backlog */
    private static final int MAX_PENDING_CELLS = 200_000;
    private static final String STREAM_TIME = "stream-time";
    private EngineSettings settings;
    private final EngineCounters counters;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, Long> meta;
    private EntityRepository entities;
    private Counterparts counterparts;
    private DeltaBuffer deltas;
    private LeadTouchpoints leadTouches;
    private TouchLog touchLog;
    private EntityContributions contributions;
    /** the stores one input changes, journaled so that an input either changes all it should or nothing */
    private List<WriteBehindStore<?>> journaled;
    /** facts to send once the input that made them has been applied whole */
    private final List<Record<String, Object>> factsOut = new ArrayList<>();
    private FlushForwarder flushForwarder;
    /** append time of the oldest event whose changes wait in {@link #deltas}; -1: none */
    private long oldestPending = -1;
    private CommitPacer pacer;
    /** input events taken since the last flush */
    private long taken;
    /**
     * This task's stream time as its meta store holds it, so that an event reads no store to compare with it; when
     * {@link #ownStreamTimeRead} is false, not read yet or forgotten with the task's uncommitted work.
     */
    private long ownStreamTime;
    private boolean ownStreamTimeRead;

    private final StreamClock clock;

    private final EventCodec eventCodec;

    EntityStageProcessor(EngineSettings settings, EngineCounters counters, StreamClock clock, EventCodec eventCodec) {
        this.settings = settings;
        this.eventCodec = eventCodec;
        this.counters = counters;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        settings = settings.withFx(settings.fx().withLive(FxRateUpdater.source(context.getStateStore(FxRateUpdater.STORE))));
        meta = context.getStateStore(Stores.META);
        Long own = meta.get(STREAM_TIME);
        if (own != null) {
            clock.observe(own);
        }
        WriteBehindStore<EntityRecord> records = WriteBehindStore.unwrap(context.getStateStore(Stores.ENTITIES));
        WriteBehindStore<io.kpipeline.streams.entity.EntityFacts> facts = WriteBehindStore.unwrap(context.getStateStore(Stores.ENTITY_FACTS));
        WriteBehindStore<byte[]> touches = WriteBehindStore.unwrap(context.getStateStore(Stores.TOUCHES));
        journaled = List.of(records, facts, touches);
        touchLog = new TouchLog(touches);
        entities = new EntityRepository(records, facts, touchLog, eventCodec, settings);
        counterparts = new Counterparts(entities);
        deltas = new DeltaBuffer(settings.calendar());
        leadTouches = new LeadTouchpoints(entities, counterparts, deltas);
        contributions = new EntityContributions(entities, counterparts, deltas, settings);
        // The summed changes leave with the commit that stores the entities they came from: state, deltas and offsets
        // are then one transaction, and a crash either keeps all three or replays the events that made them.
        flushForwarder = new FlushForwarder(context);
        records.beforeFlush(() -> flushForwarder.run(this::sendDeltas));
        records.onClear(() -> {
            ownStreamTimeRead = false;
            deltas.clear();
            oldestPending = -1;
            taken = 0;
        });
        pacer = CommitPacer.maybeStart(context);
    }

    @Override
    public void process(Record<String, Object> record) {
        if (pacer == null) {
            processEvent(record);
            return;
        }
        pacer.processing();
        try {
            processEvent(record);
        } finally {
            pacer.processed(record.timestamp());
        }
    }

    private void processEvent(Record<String, Object> record) {
        long read = touchLog.recordsRead();
        try {
            processInput(record);
        } finally {
            counters.touchRecordsRead(touchLog.recordsRead() - read);
        }
    }

    private void processInput(Record<String, Object> record) {
        if (record.value() instanceof FactsMessage facts) {
            // a failure here fails the task, and Kafka Streams discards its uncommitted work: facts are never dropped
            begin();
            try {
                receive(record.key(), facts, record.timestamp());
            } catch (RuntimeException e) {
                rollback();
                throw e;
            }
            commit();
            return;
        }
        CrmEvent event = (CrmEvent) record.value();
        if (event == null) {
            return;
        }
        taken++;
        try {
            checkApplicable(event);
        } catch (InvalidEventException e) {
            counters.rejected(e.reasonCode());
            context.forward(record.withKey(event.getEventId()).withValue(deadLetter(event, e)));
            return;
        }
        begin();
        try {
            apply(record, event);
        } catch (RuntimeException e) {
            // A bug must not turn one event into a poison pill that stops every partition behind it; undone whole,
            // the event goes to the dead-letter topic as if it had never been seen.
            rollback();
            LOG.error("could not apply event {}; its changes were undone and it was sent to the dead-letter topic", event.getEventId(), e);
            counters.rejected("PROCESSING_ERROR");
            context.forward(record.withKey(event.getEventId()).withValue(deadLetter(event,
                    new InvalidEventException("PROCESSING_ERROR", "could not be applied (" + e.getClass().getSimpleName()
                            + "; the instance's log has the cause); nothing of it was applied"))));
            return;
        }
        commit();
        advanceStreamTime(event);
    }

    private void begin() {
        journaled.forEach(WriteBehindStore::begin);
        deltas.begin();
    }

    private void commit() {
        journaled.forEach(WriteBehindStore::commit);
        deltas.commit();
        for (Record<String, Object> r : factsOut) {
            context.forward(r);
        }
        factsOut.clear();
        if (deltas.size() > MAX_PENDING_CELLS) {
            sendDeltas();
        }
    }

    private void rollback() {
        journaled.forEach(WriteBehindStore::rollback);
        deltas.rollback();
        factsOut.clear();
        entities.clearCache();
    }

    private void apply(Record<String, Object> record, CrmEvent event) {
        String entity = EntityKey.of(event);
        entities.clearCache();
        boolean lead = entity.startsWith(LEAD);
        if (lead && event.getPayload() instanceof TouchpointLogged touch) {
            TouchLog.Change change = entities.appendTouch(entity, event, touch);
            if (change == null) {
                counters.duplicate();
                return;
            }
            pending(record.timestamp());
            leadTouches.update(entity, change, false);
        } else {
            byte[] framed = EventBodies.framedOf(event);
            boolean appended = framed == null ? entities.append(entity, event)
                    : entities.append(entity, event, framed, WireFormat.HEADER_LENGTH, framed.length - WireFormat.HEADER_LENGTH);
            if (!appended) {
                counters.duplicate();
                return;
            }
            pending(record.timestamp());
            if (lead) {
                leadTouches.update(entity, null, false);
            }
        }
        contributions.refresh(entity);
        tell(entity, record.timestamp());
        counters.countApplied();
        counters.applyLag(context.currentSystemTimeMs() - record.timestamp());
    }

    /** Refuses events older than the correction horizon and amounts with no conversion rate. */
    private void checkApplicable(CrmEvent event) {
        InvalidEventException refusal = Admission.refusal(event, settings, clock.newest());
        if (refusal != null) {
            throw refusal;
        }
    }

    /** An event taken (applied or a duplicate) moves stream time; one refused or undone does not. */
    private void advanceStreamTime(CrmEvent event) {
        long occurred = event.getOccurredAt().toEpochMilli();
        clock.observe(occurred);
        if (!ownStreamTimeRead) {
            Long own = meta.get(STREAM_TIME);
            ownStreamTime = own == null ? Long.MIN_VALUE : own;
            ownStreamTimeRead = true;
        }
        if (occurred > ownStreamTime) {
            meta.put(STREAM_TIME, occurred);
            ownStreamTime = occurred;
        }
    }

    /** Facts from a linked entity: kept, and the reader refreshed with them. */
    private void receive(String reader, FactsMessage facts, long timestamp) {
        entities.clearCache();
        byte[] before = entities.facts(reader).received.get(facts.source());
        entities.received(reader, facts.source(), facts.facts());
        pending(timestamp);
        if (reader.startsWith(LEAD)) {
            leadTouches.update(reader, null, facts.source().startsWith(DEAL) && Counterparts.dealTouchesDiffer(before, facts.facts()));
        }
        contributions.refresh(reader);
        tell(reader, timestamp);
    }

    /** Sends the entity's facts to each reader for which they changed (null to a reader that no longer is one). */
    private void tell(String entity, long timestamp) {
        Map<String, byte[]> now = counterparts.toSend(entity);
        Map<String, byte[]> before = entities.facts(entity).sent;
        Set<String> readers = new LinkedHashSet<>(before.keySet());
        readers.addAll(now.keySet());
        for (String reader : readers) {
            byte[] facts = now.get(reader);
            if (!java.util.Arrays.equals(facts, before.get(reader))) {
                entities.sent(entity, reader, facts);
                factsOut.add(new Record<>(reader, new FactsMessage(entity, facts), timestamp));
                counters.factsSent(reader.length() + entity.length() + (facts == null ? 0 : facts.length));
            }
        }
    }

    private void pending(long appendedAt) {
        if (oldestPending < 0 || appendedAt < oldestPending) {
            oldestPending = appendedAt;
        }
    }

    /** Sends the changes summed since the last commit, one record per dimension key. */
    private void sendDeltas() {
        long at = oldestPending < 0 ? context.currentSystemTimeMs() : oldestPending;
        Map<String, List<Map.Entry<Cell, Parts>>> batches = deltas.drain();
        long bytes = 0;
        for (Map.Entry<String, List<Map.Entry<Cell, Parts>>> e : batches.entrySet()) {
            byte[] batch = DeltaBatch.encode(e.getValue());
            bytes += batch.length + e.getKey().length();
            context.forward(new Record<>(e.getKey(), new Deltas(batch), at));
        }
        counters.flushed(batches.size(), bytes, taken);
        taken = 0;
        oldestPending = -1;
    }

    private static DeadLetter deadLetter(CrmEvent event, InvalidEventException e) {
        return new DeadLetter(e.getMessage(), e.reasonCode(), "kpi-engine", null, null, event.getEventId(), null, null, null,
                ByteBuffer.wrap(new CrmEventSerde().serialize(null, event)), Instant.now());
    }
}
