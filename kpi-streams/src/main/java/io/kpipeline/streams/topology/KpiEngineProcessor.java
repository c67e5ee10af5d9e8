package io.kpipeline.streams.topology;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.DeadLetter;
import io.kpipeline.avro.SpendRecorded;
import io.kpipeline.schemas.event.EntityKey;
import io.kpipeline.schemas.event.EventRules;
import io.kpipeline.schemas.event.InvalidEventException;
import io.kpipeline.schemas.serde.WireFormat;
import io.kpipeline.streams.aggregate.AggregateWriter;
import io.kpipeline.streams.aggregate.ChangedSeries;
import io.kpipeline.streams.aggregate.Parts;
import io.kpipeline.streams.store.WriteBehindStore;
import io.kpipeline.streams.config.EngineSettings;
import io.kpipeline.streams.contrib.Contribution;
import io.kpipeline.streams.contrib.ContributionCodec;
import io.kpipeline.streams.contrib.AccountContributions;
import io.kpipeline.streams.contrib.DealContributions;
import io.kpipeline.streams.contrib.PlanContributions;
import io.kpipeline.streams.entity.LeadState;
import io.kpipeline.streams.contrib.LeadContributions;
import io.kpipeline.streams.contrib.SpendContributions;
import io.kpipeline.streams.entity.DealState;
import io.kpipeline.streams.entity.EntityRepository;
import io.kpipeline.streams.event.CrmEventSerde;
import io.kpipeline.streams.query.StoreSeriesReader;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The KPI engine: stores each valid event in its entity's event set (deduplicated by eventId, refused when older
 * than the correction horizon against stream time), refolds the entities whose state the event can change, and
 * applies the difference between their old and new contributions to the aggregates. A wall-clock punctuator
 * publishes the KPI points of changed series to {@code kpi-updates}.
 */
final class KpiEngineProcessor implements Processor<String, CrmEvent, String, Object> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KpiEngineProcessor.class);
    private static final String STREAM_TIME = "stream-time";
    private EngineSettings settings;
    private final EngineCounters counters;
    private final Duration publishInterval;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, Long> meta;
    private EntityRepository entities;
    private AggregateWriter aggregates;
    private UpdatePublisher publisher;
    private CommitPacer pacer;

    KpiEngineProcessor(EngineSettings settings, EngineCounters counters, Duration publishInterval) {
        this.settings = settings;
        this.counters = counters;
        this.publishInterval = publishInterval;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        settings = settings.withFx(settings.fx().withLive(FxRateUpdater.source(context.getStateStore(FxRateUpdater.STORE))));
        meta = context.getStateStore(Stores.META);
        entities = new EntityRepository(WriteBehindStore.unwrap(context.getStateStore(Stores.ENTITIES)),
                WriteBehindStore.unwrap(context.getStateStore(Stores.ENTITY_LINKS)), settings);
        ChangedSeries changed = new ChangedSeries(context.getStateStore(Stores.MARKS));
        WriteBehindStore<Parts> aggregateStore = WriteBehindStore.unwrap(context.getStateStore(Stores.AGGREGATES));
        aggregates = new AggregateWriter(aggregateStore, changed, settings.calendar());
        // the aggregates are flushed just before each commit: from then on queries see the events applied since
        aggregateStore.afterFlush(() -> counters.committed(context.currentSystemTimeMs()));
        publisher = new UpdatePublisher(new StoreSeriesReader(aggregateStore), changed, settings.calendar(), counters, publishInterval);
        pacer = CommitPacer.maybeStart(context);
        // The publisher reads what the last commit flushed: marks and the aggregates they mark are flushed together.
        context.schedule(UpdatePublisher.chunk(publishInterval), PunctuationType.WALL_CLOCK_TIME,
                now -> publisher.publish(context, now, pacer != null && pacer.inBacklog()));
    }

    @Override
    public void process(Record<String, CrmEvent> record) {
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

    private void processEvent(Record<String, CrmEvent> record) {
        CrmEvent event = record.value();
        if (event == null) {
            return;
        }
        try {
            checkApplicable(event);
        } catch (InvalidEventException e) {
            counters.rejected(e.reasonCode());
            context.forward(record.withKey(event.getEventId()).withValue(deadLetter(event, e)));
            return;
        }
        try {
            apply(record, event);
        } catch (RuntimeException e) {
            // A bug must not turn one event into a poison pill that stops every partition behind it.
            LOG.error("could not apply event {} ({}); sent to the dead-letter topic", event.getEventId(), e.toString());
            counters.rejected("PROCESSING_ERROR");
            context.forward(record.withKey(event.getEventId()).withValue(deadLetter(event,
                    new InvalidEventException("PROCESSING_ERROR", "could not be applied: " + e))));
        }
    }

    private void apply(Record<String, CrmEvent> record, CrmEvent event) {
        String entity = EntityKey.of(event);
        entities.clearCache();
        byte[] framed = EventBodies.framedOf(event);
        boolean appended = framed == null ? entities.append(entity, event)
                : entities.append(entity, event, framed, WireFormat.HEADER_LENGTH, framed.length - WireFormat.HEADER_LENGTH);
        if (!appended) {
            counters.duplicate();
            return;
        }
        for (String affected : affected(entity)) {
            refresh(affected);
        }
        counters.countApplied();
        counters.applyLag(context.currentSystemTimeMs() - record.timestamp());
        counters.applied(record.timestamp());
    }

    /** Refuses events older than the correction horizon and amounts with no conversion rate. */
    private void checkApplicable(CrmEvent event) {
        long occurred = event.getOccurredAt().toEpochMilli();
        Long streamTime = meta.get(STREAM_TIME);
        if (streamTime != null && occurred < streamTime - settings.correctionHorizon().toMillis()) {
            throw new InvalidEventException("TOO_LATE", "occurredAt " + event.getOccurredAt() + " is older than the correction horizon "
                    + settings.correctionHorizon() + " before stream time " + Instant.ofEpochMilli(streamTime));
        }
        EventRules.Money money = EventRules.moneyOf(event);
        String currency = money == null ? null : money.currency();
        // an update or a close without an amount still names a currency that must convert on its day
        if (currency != null && settings.fx().convert(new BigDecimal(money.amount() == null ? "0" : money.amount()), currency,
                settings.calendar().day(event.getOccurredAt())) == null) {
            throw new InvalidEventException("NO_FX_RATE", event.getType() + ": no exchange rate from " + currency + " to "
                    + settings.fx().reportingCurrency() + " for " + settings.calendar().day(event.getOccurredAt()));
        }
        if (streamTime == null || occurred > streamTime) {
            meta.put(STREAM_TIME, occurred);
        }
    }

    /** The entity and every entity whose contributions read its state. */
    private Set<String> affected(String entity) {
        Set<String> out = new LinkedHashSet<>();
        out.add(entity);
        int colon = entity.indexOf(':');
        String kind = entity.substring(0, colon), id = entity.substring(colon + 1);
        Set<String> deals = new LinkedHashSet<>();
        if (kind.equals("lead")) {
            entities.linked("lead-deals:" + id).forEach(d -> deals.add(d));
            LeadState lead = entities.lead(id);
            if (lead != null && lead.convertedAccount() != null) {
                out.add("account:" + lead.convertedAccount());
            }
        } else if (kind.equals("deal")) {
            deals.add(id);
            entities.linked("deal-leads:" + id).forEach(l -> out.add("lead:" + l));
        }
        for (String dealId : deals) {
            out.add("deal:" + dealId);
            // a deal can move between accounts: every account it was ever linked to is refreshed
            entities.linked("deal-accounts:" + dealId).forEach(a -> out.add("account:" + a));
            DealState deal = entities.deal(dealId);
            String account = deal == null ? null : entities.accountOf(deal);
            if (account != null) {
                out.add("account:" + account);
            }
        }
        return out;
    }

    /** Recomputes an entity's contributions and applies the difference from what it contributed before. */
    private void refresh(String entity) {
        List<Contribution> after = contributionsOf(entity);
        byte[] stored = entities.contributions(entity);
        ContributionCodec.Encoded encodedAfter = after.isEmpty() ? null : ContributionCodec.encodeWithOffsets(after);
        byte[] encoded = encodedAfter == null ? null : encodedAfter.bytes();
        if (java.util.Arrays.equals(stored, encoded)) {
            return; // the usual case for the entities linked to the one that changed: nothing to diff
        }
        // The lists come out of the same fold in the same order, so a change is mostly a run in the middle: the
        // equal runs at either end are found on the bytes, and only the stored middle is decoded (a lead with dozens
        // of touchpoints changes one or two).
        ContributionCodec.Change change = encodedAfter == null ? null : ContributionCodec.change(stored, encodedAfter);
        List<Contribution> added, removed;
        if (change != null) {
            added = after.subList(change.from(), change.to());
            removed = change.before();
        } else {
            List<Contribution> before = ContributionCodec.decode(stored);
            int from = 0, endAfter = after.size(), endBefore = before.size();
            while (from < endAfter && from < endBefore && after.get(from).equals(before.get(from))) {
                from++;
            }
            while (endAfter > from && endBefore > from && after.get(endAfter - 1).equals(before.get(endBefore - 1))) {
                endAfter--;
                endBefore--;
            }
            added = after.subList(from, endAfter);
            removed = before.subList(from, endBefore);
        }
        Map<Contribution, Integer> diff = new HashMap<>();
        for (Contribution c : added) {
            diff.merge(c, 1, Integer::sum);
        }
        for (Contribution c : removed) {
            diff.merge(c, -1, Integer::sum);
        }
        boolean changed = false;
        for (Map.Entry<Contribution, Integer> e : diff.entrySet()) {
            int n = e.getValue();
            for (int i = 0; i < Math.abs(n); i++) {
                aggregates.add(Integer.signum(n), e.getKey());
                changed = true;
            }
        }
        if (changed) {
            entities.setContributions(entity, encoded);
        }
    }

    private List<Contribution> contributionsOf(String entity) {
        int colon = entity.indexOf(':');
        String kind = entity.substring(0, colon), id = entity.substring(colon + 1);
        switch (kind) {
            case "lead":
                return LeadContributions.of(entities.lead(id), entities.dealsOf(id), settings);
            case "deal": {
                DealState deal = entities.deal(id);
                if (deal == null) {
                    return List.of();
                }
                String leadId = entities.sourceLeadId(deal);
                return DealContributions.of(deal, leadId == null ? null : entities.lead(leadId));
            }
            case "account":
                return AccountContributions.of(entities.account(id), settings.calendar());
            case "forecast":
            case "target":
                return PlanContributions.of(entities.events(entity), settings.fx(), settings.calendar());
            case "spend": {
                List<CrmEvent> events = entities.events(entity);
                SpendRecorded s = (SpendRecorded) events.get(events.size() - 1).getPayload();
                CrmEvent latest = events.get(events.size() - 1);
                BigDecimal amount = settings.fx().convert(new BigDecimal(s.getAmount()), s.getCurrency(),
                        settings.calendar().day(latest.getOccurredAt()));
                return SpendContributions.of(s.getCategory(), amount, s.getPeriodStart(), s.getPeriodEnd(),
                        s.getChannel(), s.getTeamId(), settings.calendar());
            }
            default:
                return new ArrayList<>();
        }
    }

    private static DeadLetter deadLetter(CrmEvent event, InvalidEventException e) {
        return new DeadLetter(e.getMessage(), e.reasonCode(), "kpi-engine", null, null, event.getEventId(), null, null, null,
                ByteBuffer.wrap(new CrmEventSerde().serialize(null, event)), Instant.now());
    }
}
