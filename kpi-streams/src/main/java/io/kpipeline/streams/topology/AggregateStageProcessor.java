package io.kpipeline.streams.topology;

import io.kpipeline.streams.aggregate.AggregateWriter;
import io.kpipeline.streams.aggregate.ChangedSeries;
import io.kpipeline.streams.aggregate.DeltaBatch;
import io.kpipeline.streams.aggregate.Parts;
import io.kpipeline.streams.config.EngineSettings;
import io.kpipeline.streams.aggregate.StoreSeriesReader;
import io.kpipeline.streams.store.WriteBehindStore;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.time.Duration;

/**
 * The aggregate stage, one task per partition of {@code dimension|key}: applies the pre-summed changes from
 * {@code kpi-deltas} to the calendar aggregates that queries read, and publishes the KPI points of changed series to
 * {@code kpi-updates} from a wall-clock punctuator. Every KPI of one dimension key lives in one task.
 */
final class AggregateStageProcessor implements Processor<String, byte[], String, Object> {
    private final EngineSettings settings;
    private final EngineCounters counters;
    private final Duration publishInterval;
    private AggregateWriter aggregates;
    private UpdatePublisher publisher;
    private CommitPacer pacer;
    /** kpi-deltas records applied since the last flush */
    private int sinceFlush;

    AggregateStageProcessor(EngineSettings settings, EngineCounters counters, Duration publishInterval) {
        this.settings = settings;
        this.counters = counters;
        this.publishInterval = publishInterval;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        ChangedSeries changed = new ChangedSeries(context.getStateStore(Stores.MARKS));
        WriteBehindStore<Parts> store = WriteBehindStore.unwrap(context.getStateStore(Stores.AGGREGATES));
        aggregates = new AggregateWriter(store, changed, settings.calendar());
        // the aggregates are flushed just before each commit: from then on queries see the changes applied since
        store.afterFlush(() -> {
            counters.committed(context.currentSystemTimeMs());
            counters.deltasApplied(sinceFlush);
            sinceFlush = 0;
        });
        store.onClear(() -> sinceFlush = 0);
        publisher = new UpdatePublisher(new StoreSeriesReader(store), changed, settings.calendar(), counters, publishInterval);
        pacer = CommitPacer.maybeStart(context);
        // The publisher reads what the last commit flushed: marks and the aggregates they mark are flushed together.
        context.schedule(UpdatePublisher.chunk(publishInterval), PunctuationType.WALL_CLOCK_TIME,
                now -> publisher.publish(context, now, pacer != null && pacer.inBacklog()));
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (pacer != null) {
            pacer.processing();
        }
        var cells = DeltaBatch.decode(record.value());
        aggregates.apply(cells);
        counters.applied(record.timestamp());
        sinceFlush++;
        if (pacer != null) {
            // A delta record sums many events' changes; its cells count towards the rate of a backlog, so that a
            // thread left with only the aggregate stage's share of a backfill still commits seldom and publishes
            // within the backlog's budget.
            pacer.processed(record.timestamp(), cells.size());
        }
    }

    @Override
    public void close() {
        counters.forget(publisher);
    }
}
