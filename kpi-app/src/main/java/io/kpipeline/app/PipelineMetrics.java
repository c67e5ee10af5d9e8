package io.kpipeline.app;

import io.kpipeline.streams.alerts.AlertCounters;
import io.kpipeline.streams.topology.EngineCounters;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/** The {@code kpi_*} metrics of {@code /metrics}, with the JVM's and Kafka Streams' own, bound to their counters. */
final class PipelineMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry metrics;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final ScheduledExecutorService binder = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kpi-metrics-binder");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> bound = ConcurrentHashMap.newKeySet();

    private PipelineMetrics(PrometheusMeterRegistry metrics) {
        this.metrics = metrics;
    }

    static PipelineMetrics bind(PrometheusMeterRegistry metrics, KafkaStreams streams, EngineCounters counters, AlertCounters alerts) {
        PipelineMetrics m = new PipelineMetrics(metrics);
        new KafkaStreamsMetrics(streams).bindTo(metrics);
        new JvmMemoryMetrics().bindTo(metrics);
        // jvm_gc_live_data_size_bytes: the heap a full or old collection left, the figure that shows a leak
        m.gc.bindTo(metrics);
        FunctionCounter.builder("kpi_events_applied", counters, EngineCounters::applied)
                .description("events this instance's entity tasks applied (each instance counts its own share)").register(metrics);
        FunctionCounter.builder("kpi_events_duplicate", counters, EngineCounters::duplicates)
                .description("events that repeated an eventId already applied (changed nothing)").register(metrics);
        FunctionCounter.builder("kpi_events_rejected", counters, EngineCounters::rejectedTotal)
                .description("events not applied (invalid, too late, no exchange rate, failed): on the dead-letter topic").register(metrics);
        DistributionSummary lag = DistributionSummary.builder("kpi_processing_lag_seconds")
                .description("time from an event's append to crm-events to its application by the engine (visible to queries at the next commit)")
                .publishPercentiles(0.5, 0.99).register(metrics);
        counters.onApplyLag(ms -> lag.record(ms / 1000.0));
        DistributionSummary freshness = DistributionSummary.builder("kpi_freshness_seconds")
                .description("end-to-end freshness: from an event's append to crm-events to its KPIs being visible to queries")
                .publishPercentileHistogram().register(metrics);
        counters.onFreshness(ms -> freshness.record(ms / 1000.0));
        Timer alertDelay = Timer.builder("kpi_alert_delay").description("time from an SLA deadline to its alert")
                .publishPercentiles(0.5, 0.99).register(metrics);
        alerts.onDelay(ms -> alertDelay.record(ms, TimeUnit.MILLISECONDS));
        // counters per reason and per rule appear as reasons and rules are first seen
        m.binder.scheduleAtFixedRate(() -> {
            m.bindEach("kpi_events_rejected_by_reason", "reason", "events not applied, by reason (each is on the dead-letter topic with it)",
                    counters.rejectedByReason());
            m.bindEach("kpi_alerts_fired", "rule", "alerts fired, by rule", alerts.firedByRule());
            m.bindEach("kpi_alerts_resolved", "rule", "alerts resolved, by rule", alerts.resolvedByRule());
        }, 0, 2, TimeUnit.SECONDS);
        FunctionCounter.builder("kpi_points_published", counters, EngineCounters::publishedPoints)
                .description("KPI points written to kpi-updates").register(metrics);
        FunctionCounter.builder("kpi_alerting_errors", alerts, AlertCounters::errors)
                .description("events the alerting stage could not take (their KPIs were applied); the log has each cause").register(metrics);
        Gauge.builder("kpi_series_awaiting_publication", counters, EngineCounters::awaitingPublication)
                .description("changed series whose KPI points are not yet on kpi-updates").register(metrics);
        return m;
    }

    private void bindEach(String name, String tag, String help, Map<String, LongAdder> counts) {
        counts.forEach((value, n) -> {
            if (bound.add(name + "|" + value)) {
                FunctionCounter.builder(name, n, LongAdder::sum).tag(tag, value).description(help).register(metrics);
            }
        });
    }

    @Override
    public void close() {
        binder.shutdownNow();
        gc.close();
    }
}
