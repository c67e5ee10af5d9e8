package io.kpipeline.app;

import io.kpipeline.schemas.registry.SchemaRegistryClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Asks the broker and the schema registry whether they answer, for {@code /health}: at most once a second each (the
 * health endpoint is polled), each question bounded by two seconds, so a dependency that hangs makes the health
 * answer DOWN rather than slow.
 */
final class DependencyProbe implements AutoCloseable {
    /** One dependency's state: UP or DOWN, with what was found or why not. */
    record Status(boolean up, String detail) {
    }

    private static final long EVERY_MS = 1_000, TIMEOUT_MS = 2_000;
    private final Admin admin;
    private final SchemaRegistryClient registry;
    private final ExecutorService asking = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kpi-health-probe");
        t.setDaemon(true);
        return t;
    });
    private Status kafka = new Status(false, "not asked yet"), schemaRegistry = new Status(false, "not asked yet");
    private long kafkaAt, registryAt;

    DependencyProbe(Map<String, Object> client, SchemaRegistryClient registry) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
        this.admin = Admin.create(config);
        this.registry = registry;
    }

    synchronized Status kafka() {
        long now = System.currentTimeMillis();
        if (now - kafkaAt >= EVERY_MS) {
            kafkaAt = now;
            try {
                int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT_MS)).nodes()
                        .get(TIMEOUT_MS, TimeUnit.MILLISECONDS).size();
                kafka = new Status(nodes > 0, nodes + " broker(s) answering");
            } catch (Exception e) {
                kafka = new Status(false, "the broker did not answer within " + TIMEOUT_MS + " ms: " + reason(e));
            }
        }
        return kafka;
    }

    synchronized Status schemaRegistry() {
        long now = System.currentTimeMillis();
        if (now - registryAt >= EVERY_MS) {
            registryAt = now;
            try {
                int subjects = CompletableFuture.supplyAsync(registry::subjects, asking).get(TIMEOUT_MS, TimeUnit.MILLISECONDS).size();
                schemaRegistry = new Status(true, subjects + " subject(s)");
            } catch (Exception e) {
                schemaRegistry = new Status(false, "the schema registry did not answer within " + TIMEOUT_MS + " ms: " + reason(e));
            }
        }
        return schemaRegistry;
    }

    private static String reason(Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    @Override
    public void close() {
        asking.shutdownNow();
        admin.close(java.time.Duration.ofSeconds(5));
    }
}
