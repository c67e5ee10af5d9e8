package io.kpipeline.streams.topology;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.connectors.simulate.CrmSimulator;
import io.kpipeline.streams.config.EngineSettings;
import io.kpipeline.streams.store.WriteBehindStore;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;

import java.nio.file.Files;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Not a test: the entity stage alone (no broker, no changelogs, its facts fed straight back, the aggregate stage
 * left out) over a simulated history, for profiling its CPU cost per event. {@code java -cp ... io.kpipeline.streams.topology.EngineProfile 300000 [touchpoints per lead, default 3]
 * [events between flushes, default 3000]}: the events of a history of that many (5.4 a lead), with more touchpoints per
 * lead if asked (and so more events). A flush stands for a commit.
 */
public final class EngineProfile {
    public static void main(String[] args) throws Exception {
        long target = args.length > 0 ? Long.parseLong(args[0]) : 300_000;
        int meanTouches = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int flushEvery = args.length > 2 ? Integer.parseInt(args[2]) : 3000;
        int days = 200;
        LocalDate start = LocalDate.of(2026, 1, 1);
        CrmSimulator sim = new CrmSimulator(7, (int) Math.max(1, target / days / 5.4), start, meanTouches);
        List<CrmEvent> events = new ArrayList<>();
        for (int d = 1; d <= days; d++) {
            events.addAll(sim.advanceTo(start.plusDays(d).atStartOfDay().toInstant(ZoneOffset.UTC)));
        }
        Properties props = new Properties();
        props.put("application.id", "profile");
        props.put("bootstrap.servers", "unused:9092");
        java.io.File dir = Files.createTempDirectory("kpi-profile").toFile();
        MockProcessorContext<String, Object> ctx = new MockProcessorContext<>(props,
                new org.apache.kafka.streams.processor.TaskId(0, 0), dir);
        List<StateStore> stores = new ArrayList<>();
        for (StoreBuilder<?> b : KpiTopology.storeBuilders()) {
            b.withLoggingDisabled().withCachingDisabled();
            StateStore s = b.build();
            s.init(ctx.getStateStoreContext(), s);
            ctx.addStateStore(s);
            stores.add(s);
        }
        StateStore fx = org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.inMemoryKeyValueStore(FxRateUpdater.STORE), Serdes.String(), Serdes.String())
                .withLoggingDisabled().build();
        fx.init(ctx.getStateStoreContext(), fx);
        ctx.addStateStore(fx);
        EngineCounters counters = new EngineCounters();
        EntityStageProcessor p = new EntityStageProcessor(EngineSettings.defaults(), counters, new StreamClock(),
                io.kpipeline.streams.event.EventCodec.registered(io.kpipeline.schemas.registry.SchemaRegistryCore.inMemory(), "crm-events-value"));
        p.init(ctx);
        long t0 = System.nanoTime(), tChunk = t0;
        int i = 0;
        for (CrmEvent e : events) {
            ctx.setCurrentSystemTimeMs(System.currentTimeMillis());
            p.process(new Record<>(io.kpipeline.schemas.event.EntityKey.of(e), e, System.currentTimeMillis()));
            loopFacts(ctx, p);
            if (++i % flushEvery == 0) {
                flush(stores);
            }
            if (i % 100_000 == 0) {
                long now = System.nanoTime();
                System.out.printf("%,d events: last 100k at %,.0f events/s%n", i, 100_000 / ((now - tChunk) / 1e9));
                tChunk = now;
            }
        }
        flush(stores);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%,d events in %.2f s = %,.0f events/s (applied %,d, duplicates %,d)%n",
                events.size(), s, events.size() / s, counters.applied(), counters.duplicates());
    }

    /** Feeds the facts the stage sent back into it, as the facts topic does (all entities live in this one task). */
    private static void loopFacts(MockProcessorContext<String, Object> ctx, EntityStageProcessor p) {
        while (!ctx.forwarded().isEmpty()) {
            List<Record<String, Object>> facts = new ArrayList<>();
            for (var f : ctx.forwarded()) {
                if (f.record().value() instanceof io.kpipeline.streams.facts.FactsMessage) {
                    facts.add(new Record<>(f.record().key(), f.record().value(), f.record().timestamp()));
                }
            }
            ctx.resetForwards();
            facts.forEach(p::process);
        }
    }

    private static void flush(List<StateStore> stores) {
        for (StateStore s : stores) {
            if (s instanceof WriteBehindStore<?> w) {
                w.flushCache();
            } else {
                s.flush();
            }
        }
    }
}
