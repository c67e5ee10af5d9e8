package io.kpipeline.app.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker in KRaft mode (combined broker and controller) running in
 * this JVM, with its log directory under the data directory. The storage is formatted on first start
 * and reused afterwards, so topics, offsets and transactions survive restarts.
 *
 * <p>Retention is unlimited by default: CRM histories carry event times months in the past, and a
 * time-based retention would delete them as soon as they arrive.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Formats (if needed) and starts the broker, and returns once it answers admin requests.
     *
     * @param logDir         the broker's log directory (created if missing)
     * @param host           the host the client listener binds and advertises
     * @param port           client (PLAINTEXT) port
     * @param controllerPort KRaft controller port, bound to loopback
     */
    public static EmbeddedKafka start(Path logDir, String host, int port, int controllerPort, int defaultPartitions)
            throws IOException {
        return start(logDir, host, port, controllerPort, defaultPartitions, Map.of());
    }

    /**
     * As {@link #start(Path, String, int, int, int)}, with broker settings laid over the defaults (another listener,
     * SASL, ...); the PLAINTEXT listener on {@code port} must stay, as readiness is checked through it.
     */
    public static EmbeddedKafka start(Path logDir, String host, int port, int controllerPort, int defaultPartitions,
                                      Map<String, String> overrides) throws IOException {
        Files.createDirectories(logDir);
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://" + host + ":" + port + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toAbsolutePath().toString());
        props.put("num.partitions", String.valueOf(defaultPartitions));
        props.put("auto.create.topics.enable", "false");
        props.put("log.retention.ms", "-1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("min.insync.replicas", "1");
        props.putAll(overrides);
        KafkaConfig config = KafkaConfig.fromProps(props, false);

        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(config, logDir);
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        String bootstrap = host + ":" + port;
        EmbeddedKafka kafka = new EmbeddedKafka(server, bootstrap);
        kafka.awaitReady(Duration.ofSeconds(60));
        return kafka;
    }

    private static void format(KafkaConfig config, Path logDir) throws IOException {
        String dir = logDir.toAbsolutePath().toString();
        try {
            new Formatter()
                    .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                    .setNodeId(config.nodeId())
                    .setClusterId(Uuid.randomUuid().toString())
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(dir)
                    .setHasDynamicQuorum(false)
                    .addDirectory(dir)
                    .run();
            LOG.info("formatted a new Kafka log directory at {}", dir);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot format the Kafka log directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for the broker");
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the embedded broker did not become ready within "
                                + timeout.toSeconds() + " s: " + e.getMessage(), e);
                    }
                }
            }
        }
    }

    /** {@code host:port} of the client listener. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
