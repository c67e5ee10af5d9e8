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
import org.apache.kafka.coordinator.group.GroupCoordinatorConfig;
import org.apache.kafka.coordinator.share.ShareCoordinatorConfig;
import org.apache.kafka.coordinator.transaction.AddPartitionsToTxnConfig;
import org.apache.kafka.coordinator.transaction.TransactionLogConfig;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.network.SocketServerConfigs;
import org.apache.kafka.raft.KRaftConfigs;
import org.apache.kafka.raft.QuorumConfig;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.apache.kafka.server.config.ReplicationConfigs;
import org.apache.kafka.server.config.ServerLogConfigs;
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
        props.put(KRaftConfigs.PROCESS_ROLES_CONFIG, "broker,controller");
        props.put(KRaftConfigs.NODE_ID_CONFIG, "1");
        props.put(QuorumConfig.QUORUM_VOTERS_CONFIG, "1@127.0.0.1:" + controllerPort);
        props.put(SocketServerConfigs.LISTENERS_CONFIG, "PLAINTEXT://" + host + ":" + port + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        props.put(SocketServerConfigs.ADVERTISED_LISTENERS_CONFIG, "PLAINTEXT://" + host + ":" + port);
        props.put(KRaftConfigs.CONTROLLER_LISTENER_NAMES_CONFIG, CONTROLLER_LISTENER);
        props.put(SocketServerConfigs.LISTENER_SECURITY_PROTOCOL_MAP_CONFIG, "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put(ReplicationConfigs.INTER_BROKER_LISTENER_NAME_CONFIG, "PLAINTEXT");
        props.put(ServerLogConfigs.LOG_DIRS_CONFIG, logDir.toAbsolutePath().toString());
        props.put(ServerLogConfigs.NUM_PARTITIONS_CONFIG, String.valueOf(defaultPartitions));
        props.put(ServerLogConfigs.AUTO_CREATE_TOPICS_ENABLE_CONFIG, "false");
        props.put(ServerLogConfigs.LOG_RETENTION_TIME_MILLIS_CONFIG, "-1");
        props.put(GroupCoordinatorConfig.OFFSETS_TOPIC_REPLICATION_FACTOR_CONFIG, "1");
        props.put(GroupCoordinatorConfig.OFFSETS_TOPIC_PARTITIONS_CONFIG, "4");
        props.put(TransactionLogConfig.TRANSACTIONS_TOPIC_REPLICATION_FACTOR_CONFIG, "1");
        props.put(TransactionLogConfig.TRANSACTIONS_TOPIC_MIN_ISR_CONFIG, "1");
        props.put(TransactionLogConfig.TRANSACTIONS_TOPIC_PARTITIONS_CONFIG, "4");
        props.put(ShareCoordinatorConfig.STATE_TOPIC_REPLICATION_FACTOR_CONFIG, "1");
        props.put(ShareCoordinatorConfig.STATE_TOPIC_MIN_ISR_CONFIG, "1");
        props.put(GroupCoordinatorConfig.GROUP_INITIAL_REBALANCE_DELAY_MS_CONFIG, "0");
        props.put(ServerLogConfigs.MIN_IN_SYNC_REPLICAS_CONFIG, "1");
        // With transactions v2 a producer's first write to a partition in its next transaction waits for the
        // previous one's markers. The broker waits up to 100 ms by default, then answers CONCURRENT_TRANSACTIONS;
        // the producer backs off 100 ms and more, and its pipelined batches behind fail out of order and retry too.
        // Markers for the engine's many partitions take longer than that on a loaded machine, so the wait is the
        // broker's, where it ends as soon as the markers are written.
        props.put(AddPartitionsToTxnConfig.ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MAX_MS_CONFIG, "5000");
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
