package io.kpipeline.app.cli;

import io.kpipeline.app.config.KpiConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Options every command shares: where the configuration and the cluster are. */
public final class CommonOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "settings file (default: ./kpi.properties when present)")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "a setting, e.g. --set business-time-zone=Europe/Berlin")
    List<String> sets = new ArrayList<>();

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "an existing Kafka cluster")
    String bootstrapServers;

    @Option(names = "--schema-registry", paramLabel = "URL", description = "an existing Confluent-compatible schema registry")
    String schemaRegistry;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "where the embedded broker, registry and state live (default ./data)")
    String dataDir;

    public KpiConfig load(Map<String, String> extraFlags) {
        Map<String, String> flags = new HashMap<>(extraFlags);
        flags.put("bootstrap-servers", bootstrapServers);
        flags.put("schema-registry", schemaRegistry);
        flags.put("data-dir", dataDir);
        return KpiConfig.load(configFile, System.getenv(), sets, flags);
    }
}
