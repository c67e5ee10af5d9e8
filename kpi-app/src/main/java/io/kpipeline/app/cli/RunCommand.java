package io.kpipeline.app.cli;

import io.kpipeline.app.Pipeline;
import io.kpipeline.app.config.ConfigException;
import io.kpipeline.app.config.KpiConfig;
import io.kpipeline.connectors.kafka.EventSink;
import io.kpipeline.connectors.simulate.LiveSimulation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code kpi run}: the whole pipeline on this machine, until Ctrl-C or SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start the broker (unless --bootstrap-servers), schema registry, stream processors, API and dashboard.")
public final class RunCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--port", description = "HTTP port (default 8080)")
    Integer port;

    @Option(names = "--simulate", description = "also feed it a live simulated CRM")
    boolean simulate;

    @Override
    public Integer call() throws Exception {
        Map<String, String> flags = new HashMap<>();
        flags.put("port", port == null ? null : port.toString());
        KpiConfig config = common.load(flags);
        preflight(config);
        long started = System.nanoTime();
        Pipeline pipeline = new Pipeline(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            System.out.println("kpi: stopping...");
            pipeline.close();
            System.out.println("kpi: stopped cleanly");
            stopped.countDown();
        }, "kpi-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            pipeline.start();
        } catch (RuntimeException | IOException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            pipeline.close();
            throw e;
        }
        while (!pipeline.health().up()) {
            Thread.sleep(200);
        }
        System.out.printf("kpi: ready in %.1f s: %s://localhost:%d (Kafka %s, schema registry %s). Ctrl-C stops.%n",
                (System.nanoTime() - started) / 1e9, config.get("tls-keystore").isBlank() ? "http" : "https", pipeline.httpPort(), pipeline.bootstrapServers(),
                pipeline.registryUrl());
        if (simulate) {
            EventSink sink = new EventSink(config.kafkaClient(pipeline.bootstrapServers()), pipeline.registry(),
                    "crm-events", "crm-events-dlq");
            Thread t = new Thread(() -> LiveSimulation.run(sink, 42, 200, 7), "kpi-simulator");
            t.setDaemon(true);
            t.start();
            System.out.println("kpi: feeding a live simulated CRM (7 days of history, then real time)");
        }
        stopped.await();
        return 0;
    }

    /** Fails with one line when a port is taken or the data directory cannot be written. */
    static void preflight(KpiConfig config) {
        if (!config.external()) {
            Path dir = config.dataDir();
            try {
                Files.createDirectories(dir);
                Path probe = Files.createTempFile(dir, ".write-check", "");
                Files.delete(probe);
            } catch (IOException | SecurityException e) {
                throw new ConfigException("data directory " + dir.toAbsolutePath() + " is not writable");
            }
            checkPort(config.integer("kafka-port"), "kafka-port");
            checkPort(config.integer("kafka-controller-port"), "kafka-controller-port");
            if (config.get("schema-registry").isBlank()) {
                checkPort(config.integer("schema-registry-port"), "schema-registry-port");
            }
        }
        checkPort(config.integer("port"), "port");
    }

    private static void checkPort(int port, String setting) {
        if (port == 0) {
            return;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("localhost", port));
        } catch (IOException e) {
            throw new ConfigException("port " + port + " is already in use (" + setting + "); is another ./kpi run running? "
                    + "Choose another with --set " + setting + "=N");
        }
    }
}
