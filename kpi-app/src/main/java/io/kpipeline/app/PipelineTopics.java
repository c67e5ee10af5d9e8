package io.kpipeline.app;

import io.kpipeline.app.config.KpiConfig;
import io.kpipeline.app.config.Settings;
import io.kpipeline.schemas.part.EventPart;
import io.kpipeline.streams.topology.TopicNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The pipeline's topics: created when missing, their settings brought to the configuration's at every start. */
final class PipelineTopics {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineTopics.class);

    private PipelineTopics() {
    }

    /** Creates the topics that do not exist yet; returns how many partitions crm-events has (it may have existed). */
    static int ensure(KpiConfig config, Map<String, Object> client, String applicationId, String bootstrap) {
        int partitions = config.integer("partitions");
        String codec = Settings.topicCompression(config.get("output-compression"));
        // the output topics are read by other people's clients: kept in a codec every client reads without plug-ins
        // (kafkajs reads only gzip natively), the broker recompressing what the engine's producer writes
        Map<String, String> output = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.COMPRESSION_TYPE_CONFIG, codec);
        Map<String, String> forever = Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1");
        try (Admin admin = Admin.create(client)) {
            short rf = (short) (config.replicationFactor().isPresent() ? config.replicationFactor().getAsInt()
                    : Math.min(3, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size()));
            create(admin, List.of(
                    new NewTopic("crm-events", config.integer("event-partitions"), rf).configs(forever),
                    new NewTopic("crm-events-dlq", partitions, rf).configs(forever),
                    new NewTopic("kpi-updates", partitions, rf).configs(output),
                    new NewTopic("kpi-alerts", partitions, rf).configs(output),
                    new NewTopic("kpi-fx-rates", 1, rf).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                    // kept as long as the events: a part may wait for its others, and the assembly's state rebuilds from them
                    new NewTopic(EventPart.TOPIC, partitions, rf).configs(forever)));
            outputCompression(admin, codec);
            int events = partitions(admin, "crm-events");
            // the entity stage reads its events and its facts from partitions of the same number
            String facts = TopicNames.forApplication(applicationId).entityFacts();
            create(admin, List.of(new NewTopic(facts, events, rf).configs(Map.of(TopicConfig.RETENTION_MS_CONFIG,
                    Long.toString(Duration.ofDays(7).toMillis())))));
            int factPartitions = partitions(admin, facts);
            if (factPartitions != events) {
                throw new IllegalStateException("topic " + facts + " has " + factPartitions + " partitions and crm-events " + events
                        + "; they must be equal (delete " + facts + " while the pipeline is stopped and it is created anew)");
            }
            return events;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics");
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrap + " did not answer: " + e.getMessage());
        }
    }

    /** Sets the output topics' compression on topics that existed before (a change of the setting applies at start). */
    private static void outputCompression(Admin admin, String codec) throws InterruptedException {
        var op = new AlterConfigOp(new ConfigEntry(TopicConfig.COMPRESSION_TYPE_CONFIG, codec), AlterConfigOp.OpType.SET);
        Map<ConfigResource, Collection<AlterConfigOp>> ops = new HashMap<>();
        for (String topic : List.of("kpi-updates", "kpi-alerts")) {
            ops.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(op));
        }
        try {
            admin.incrementalAlterConfigs(ops).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("could not set compression.type={} on kpi-updates and kpi-alerts (output-compression): {}", codec,
                    e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        }
    }

    /** A topic's partition count; a topic just created may take a moment to be known to the broker answering. */
    private static int partitions(Admin admin, String topic) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions().size();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static void create(Admin admin, List<NewTopic> topics) throws InterruptedException, TimeoutException {
        for (NewTopic t : topics) {
            try {
                admin.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + t.name() + ": " + e.getCause().getMessage());
                }
            }
        }
    }
}
