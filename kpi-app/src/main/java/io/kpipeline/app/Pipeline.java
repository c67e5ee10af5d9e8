package io.kpipeline.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.app.broker.EmbeddedKafka;
import io.kpipeline.app.config.KpiConfig;
import io.kpipeline.app.http.AccessControl;
import io.kpipeline.app.http.ApiServer;
import io.kpipeline.app.http.Health;
import io.kpipeline.schemas.registry.EmbeddedSchemaRegistry;
import io.kpipeline.schemas.registry.KafkaSchemaLog;
import io.kpipeline.schemas.registry.RestSchemaRegistryClient;
import io.kpipeline.schemas.registry.SchemaRegistryClient;
import io.kpipeline.schemas.registry.SchemaRegistryCore;
import io.kpipeline.streams.config.EngineSettings;
import io.kpipeline.streams.query.KpiQuery;
import io.kpipeline.streams.topology.EngineCounters;
import io.kpipeline.streams.topology.KpiTopology;
import io.kpipeline.streams.topology.Stores;
import io.kpipeline.streams.topology.TopicNames;
import io.kpipeline.app.http.Webhooks;
import io.kpipeline.app.http.LiveFeed;
import io.kpipeline.connectors.kafka.EventSink;
import io.kpipeline.app.http.SseHub;
import io.kpipeline.avro.Alert;
import io.kpipeline.avro.KpiPoint;
import io.kpipeline.streams.alerts.AlertCounters;
import io.kpipeline.streams.alerts.AlertSettings;
import io.kpipeline.streams.alerts.SlaAlertProcessor;
import io.micrometer.core.instrument.DistributionSummary;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Everything {@code ./kpi run} starts, in order (broker, registry, topics, stream processors, HTTP), and stops in
 * reverse. Against an existing cluster the broker and registry are the user's, everything else is the same.
 */
public final class Pipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    private DependencyProbe probe;
    private final ThreadFailures threadFailures = new ThreadFailures();
    private volatile ReadOnlyKeyValueStore<String, String> fxStore;
    private final KpiConfig config;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final EngineCounters counters = new EngineCounters();
    private final AlertCounters alertCounters = new AlertCounters();
    private final SseHub<KpiPoint> pointHub = new SseHub<>("point");
    private final SseHub<Alert> alertHub = new SseHub<>("alert");
    private volatile ReadOnlyKeyValueStore<String, byte[]> alertStore;
    private volatile ReadOnlyKeyValueStore<String, byte[]> repAlertStore;
    private EmbeddedKafka kafka;
    private EmbeddedSchemaRegistry embeddedRegistry;
    private SchemaRegistryClient registry;
    private String bootstrap;
    /** partitions of crm-events (it may have existed): every stage of the engine has as many tasks */
    private int eventPartitions;
    private String registryUrl;
    /** the Kafka Streams application id of this state format (see {@link StateFormat}) */
    private String applicationId;
    /** host:port at which the other instances reach this one (may need a name lookup: resolved once, at start) */
    private String self;
    private KafkaStreams streams;
    private StreamsRouting routing;
    private volatile KpiQuery query;
    private EngineSettings settings;
    private ApiServer api;

    public Pipeline(KpiConfig config) {
        this.config = config;
    }

    /** Starts everything; when a part fails to start, what had started is stopped again before the failure is thrown. */
    public Pipeline start() throws IOException {
        try {
            return startAll();
        } catch (IOException | RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private Pipeline startAll() throws IOException {
        // the keystore first: a wrong path or password stops the start before anything else has started
        io.kpipeline.app.http.Tls tls = io.kpipeline.app.http.Tls.of(config);
        self = config.advertisedAddress();
        applicationId = StateFormat.applicationId(config.get("application-id"));
        if (config.external()) {
            bootstrap = config.get("bootstrap-servers");
            registryUrl = config.get("schema-registry");
        } else {
            Path dir = config.dataDir();
            kafka = EmbeddedKafka.start(dir.resolve("kafka"), "localhost", config.integer("kafka-port"),
                    config.integer("kafka-controller-port"), config.integer("partitions"));
            resources.add(kafka);
            bootstrap = kafka.bootstrapServers();
        }
        Map<String, Object> client = config.kafkaClient(bootstrap);
        eventPartitions = PipelineTopics.ensure(config, client, applicationId, bootstrap);
        if (registryUrl == null || registryUrl.isBlank()) {
            SchemaRegistryCore core = new SchemaRegistryCore(new KafkaSchemaLog("_schemas", client));
            embeddedRegistry = EmbeddedSchemaRegistry.start(core, "localhost", config.integer("schema-registry-port"));
            resources.add(embeddedRegistry);
            registryUrl = "http://localhost:" + embeddedRegistry.port();
            registry = core;
        } else {
            registry = new RestSchemaRegistryClient(registryUrl, null);
        }
        probe = new DependencyProbe(client, registry);
        resources.add(probe);
        startStreams();
        resources.add(PipelineMetrics.bind(metrics, streams, counters, alertCounters));
        DistributionSummary delivery = DistributionSummary.builder("kpi_update_delivery_seconds")
                .description("time from a KPI point's publication on kpi-updates to its delivery to live clients")
                .publishPercentiles(0.5, 0.99).register(metrics);
        resources.add(new LiveFeed(client, registry, pointHub, alertHub, ms -> delivery.record(ms / 1000.0)).start());
        EventSink webhookSink = new EventSink(client, registry, "crm-events", "crm-events-dlq").admitting(this::admission);
        resources.add(webhookSink);
        var webhooks = Webhooks.from(config, webhookSink, metrics);
        api = new ApiServer(config.get("host"), config.integer("port"), config.longValue("webhook-max-bytes"),
                new ApiServer.Services(JsonNodeFactory.instance.objectNode().put("reportingCurrency", config.get("reporting-currency"))
                        .put("businessTimeZone", config.zone().getId())
                        .put("leadResponseSla", config.get("lead-response-sla")).put("alertingHorizon", config.get("alerting-horizon")), webhooks, routing, () -> query,
                        scope -> scope == io.kpipeline.app.http.Routing.Scope.REP_ALERTS ? repAlertStore : alertStore, this::health, metrics, pointHub, alertHub),
                new AccessControl(config.get("api-token"), tls != null), tls).start();
        resources.add(api);
        // closed before the HTTP server, so open event streams end while their responses still exist
        resources.add(pointHub);
        resources.add(alertHub);
        return this;
    }

    private void startStreams() {
        Properties p = new Properties();
        p.putAll(config.kafkaClient(bootstrap));
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        StreamsTuning.commitIntervals(p, config.duration("commit-interval"), config.duration("backlog-commit-interval"));
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, config.longValue("cache-max-bytes"));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        // -1: the broker's default.replication.factor
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.replicationFactor().orElse(config.external() ? -1 : 1));
        // a standby keeps a warm copy of the stores on another instance, so a killed owner's series answer again
        // as soon as the group reassigns them, without a restore from the changelog (no effect on a lone instance)
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.integer("standby-replicas"));
        // how soon the group notices a killed instance (Kafka's default, 45 s, would leave its series dark that long)
        int session = (int) config.duration("session-timeout").toMillis();
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), session);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), Math.max(500, session / 4));
        p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self);
        Path stateDir = config.dataDir().resolve("streams");
        StateFormat.retireEarlier(stateDir, config.get("application-id"));
        UncleanStop.check(stateDir);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        StreamsTuning.apply(p);
        AlertSettings alerting = new AlertSettings(config.duration("lead-response-escalation"), config.duration("alerting-horizon"),
                config.integer("rep-degraded-leads"), config.duration("rep-degraded-p90"));
        // read once: it parses the rates file, and the state listener below runs on every rebalance
        settings = config.engineSettings();
        var topology = KpiTopology.build(TopicNames.forApplication(applicationId), registry, settings, counters,
                config.duration("publish-interval"), alerting, alertCounters, eventPartitions, config.duration("touchpoint-assembly-wait"));
        streams = new KafkaStreams(topology, p);
        streams.setUncaughtExceptionHandler(threadFailures);
        routing = new StreamsRouting(streams, self, applicationId, eventPartitions, settings.calendar());
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                openStores();
            }
        });
        streams.start();
        // closed after the streams (resources close in reverse): a stop that gets that far was clean
        resources.add(() -> UncleanStop.stopped(stateDir));
        // Leaving the group lets the next start take over at once instead of waiting out the session timeout.
        resources.add(() -> streams.close(org.apache.kafka.streams.CloseOptions.groupMembershipOperation(
                org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(30))));
    }

    /**
     * Why the engine would refuse a valid event, asked before a webhook answers: the exchange rates of the
     * configuration and those published on the rates topic (once the engine runs), and the correction horizon before
     * this instance's stream time.
     */
    private io.kpipeline.schemas.event.InvalidEventException admission(io.kpipeline.avro.CrmEvent event) {
        io.kpipeline.streams.config.EngineSettings s = settings;
        var rates = fxStore;
        if (rates != null) {
            s = s.withFx(s.fx().withLive(io.kpipeline.streams.topology.FxRateUpdater.source(rates)));
        }
        try {
            return io.kpipeline.streams.event.Admission.refusal(event, s, counters.streamTime());
        } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
            return io.kpipeline.streams.event.Admission.refusal(event, settings, counters.streamTime());
        }
    }

    /**
     * The stores the API reads, opened once the streams run. A store that cannot be opened yet (the group moved
     * again meanwhile) leaves the query unset, and the next health check tries again, so the instance never stays
     * DOWN over one unlucky moment.
     */
    private synchronized void openStores() {
        try {
            alertStore = localStore(SlaAlertProcessor.ALERTS_STORE);
            fxStore = streams.store(StoreQueryParameters.fromNameAndType(io.kpipeline.streams.topology.FxRateUpdater.STORE,
                    QueryableStoreTypes.<String, String>keyValueStore()));
            repAlertStore = localStore(io.kpipeline.streams.alerts.RepAlertProcessor.REP_ALERTS_STORE);
            query = KpiQuery.overStore(localStore(Stores.AGGREGATES), settings.calendar());
        } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
            LOG.warn("the stores cannot be queried yet ({}); asking again at the next health check", e.getMessage());
        }
    }

    private ReadOnlyKeyValueStore<String, byte[]> localStore(String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, byte[]>keyValueStore()));
    }

    /** Per-component readiness; UP only when the stream processors run and their stores answer. */
    public Health health() {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        ObjectNode components = doc.putObject("components");
        boolean up = true;
        DependencyProbe.Status kafkaStatus = probe.kafka(), registryStatus = probe.schemaRegistry();
        ObjectNode k = components.putObject("kafka");
        k.put("status", kafkaStatus.up() ? "UP" : "DOWN").put("detail", kafkaStatus.detail()).put("bootstrapServers", bootstrap)
                .put("embedded", kafka != null);
        ObjectNode r = components.putObject("schemaRegistry");
        r.put("status", registryStatus.up() ? "UP" : "DOWN").put("detail", registryStatus.detail()).put("url", registryUrl)
                .put("embedded", embeddedRegistry != null);
        up &= kafkaStatus.up() && registryStatus.up();
        ObjectNode s = components.putObject("streams");
        KafkaStreams.State state = streams.state();
        if (state == KafkaStreams.State.RUNNING && query == null) {
            openStores();
        }
        String fatal = threadFailures.fatal();
        boolean running = state == KafkaStreams.State.RUNNING && query != null && fatal == null;
        s.put("status", running ? "UP" : "DOWN").put("state", state.name());
        if (fatal != null) {
            s.put("cause", fatal);
        }
        s.put("eventsApplied", counters.applied()).put("duplicates", counters.duplicates()).put("rejected", counters.rejectedTotal());
        // summed over every instance, equal counts mean every change taken so far is visible to queries
        s.put("deltasSent", counters.deltasSent()).put("deltasApplied", counters.deltasApplied());
        s.put("seriesAwaitingPublication", counters.awaitingPublication());
        s.put("alertingErrors", alertCounters.errors());
        if (running) {
            // which instance holds the company-wide KPIs (the busiest key): for operators and fail-over tests
            try {
                String owner = routing.ownerOf(io.kpipeline.streams.aggregate.Cell.ownerKey(io.kpipeline.streams.measure.Dimension.COMPANY, ""));
                s.put("kpiStoresAt", owner != null ? owner : self);
            } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
                s.putNull("kpiStoresAt");
            }
        }
        up &= running;
        doc.put("status", up ? "UP" : "DOWN");
        return new Health(up, doc);
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    public String registryUrl() {
        return registryUrl;
    }

    public SchemaRegistryClient registry() {
        return registry;
    }

    public int httpPort() {
        return api.port();
    }

    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("while stopping: {}", e.toString());
            }
        }
        resources.clear();
    }
}
