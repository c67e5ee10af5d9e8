package io.kpipeline.app.config;

import io.kpipeline.streams.config.EngineSettings;
import io.kpipeline.streams.config.FxRates;
import io.kpipeline.streams.time.BusinessCalendar;
import org.apache.kafka.clients.CommonClientConfigs;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The settings ({@link Settings} declares them), read in order (later wins): defaults, {@code kpi.properties} in the working
 * directory (or {@code --config FILE}), {@code KPI_*} environment variables, {@code --set key=value}, then the
 * dedicated command-line flags. Every value is parsed up front, so a bad one stops start-up with one line naming it.
 */
public final class KpiConfig {
    /** The declared settings' defaults ({@link Settings}). */
    static final Map<String, String> DEFAULTS = Settings.defaults();

    /** {@code kafka.*} settings go to every Kafka client as they are (security.protocol, sasl.*, ssl.*, ...). */
    public static final String KAFKA_PREFIX = "kafka.";
    private static final List<String> PREFIXES = List.of("lead-response-sla.source.", "lead-response-sla.segment.", KAFKA_PREFIX);

    private final Map<String, String> values;

    private KpiConfig(Map<String, String> values) {
        this.values = values;
    }

    /**
     * @param configFile {@code --config}, or null for {@code ./kpi.properties} when present
     * @param env        the environment ({@code System.getenv()})
     * @param sets       {@code --set key=value} entries
     * @param flags      values of dedicated flags (null entries are ignored)
     */
    public static KpiConfig load(Path configFile, Map<String, String> env, List<String> sets, Map<String, String> flags) {
        Map<String, String> values = new HashMap<>(DEFAULTS);
        Path file = configFile != null ? configFile : Path.of("kpi.properties");
        if (configFile != null && !Files.isReadable(configFile)) {
            throw new ConfigException("config file " + configFile + " is not readable");
        }
        if (Files.isReadable(file)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException("cannot read " + file + ": " + e.getMessage());
            }
            for (String key : p.stringPropertyNames()) {
                put(values, key.trim(), p.getProperty(key).trim(), file.toString());
            }
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            String key = settingOf(e.getKey());
            if (key != null) {
                put(values, key, e.getValue(), "environment variable " + e.getKey());
            }
        }
        for (String set : sets) {
            int eq = set.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set " + set + ": expected key=value");
            }
            put(values, set.substring(0, eq).trim(), set.substring(eq + 1).trim(), "--set");
        }
        flags.forEach((k, v) -> {
            if (v != null) {
                values.put(k, v);
            }
        });
        KpiConfig config = new KpiConfig(values);
        config.validate();
        return config;
    }

    /**
     * The setting an environment variable sets ({@code KPI_LEAD_RESPONSE_SLA} → {@code lead-response-sla}), or null
     * for a variable that is not one of ours ({@code KPI_JAVA_OPTS} is the kpi script's, for the JVM itself).
     */
    public static String settingOf(String variable) {
        if (!variable.startsWith("KPI_") || variable.equals("KPI_JAVA_OPTS")) {
            return null;
        }
        return variable.substring(4).toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether {@code key} names a setting (one of the table's, or under one of its prefixes). */
    public static boolean isSetting(String key) {
        return DEFAULTS.containsKey(key) || PREFIXES.stream().anyMatch(key::startsWith);
    }

    private static void put(Map<String, String> values, String key, String value, String where) {
        if (!isSetting(key)) {
            throw new ConfigException("unknown setting '" + key + "' (from " + where + ")");
        }
        values.put(key, value);
    }

    private void validate() {
        // types, ranges and formats of the declared settings, then what needs more than one value or a file
        Settings.check(values);
        for (String key : values.keySet()) {
            if (key.startsWith("lead-response-sla.")) {
                duration(key);
            }
        }
        fxRates();
        crmMapping();
    }

    /**
     * {@code host:port} at which the other instances reach this one's API: {@code advertised-host}, else
     * {@code host}, else (bound to every interface) this machine's name.
     */
    public String advertisedAddress() {
        String host = get("advertised-host");
        if (host.isBlank()) {
            host = get("host");
        }
        if (host.equals("0.0.0.0") || host.equals("::") || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                throw new ConfigException("host is " + get("host") + " and this machine has no name others can resolve: set advertised-host");
            }
        }
        return host + ":" + integer("port");
    }

    /** {@code replication-factor}, or empty when left blank (each user of it then picks its own default). */
    /** Kafka Streams threads of this instance: {@code stream-threads}, or one per core when blank. */
    public int streamThreads() {
        return get("stream-threads").isBlank() ? Runtime.getRuntime().availableProcessors() : integer("stream-threads");
    }

    public java.util.OptionalInt replicationFactor() {
        return get("replication-factor").isBlank() ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(integer("replication-factor"));
    }

    /** The Kafka client settings given as {@code kafka.*}, with the prefix removed, plus bootstrap.servers. */
    public Map<String, Object> kafkaClient(String bootstrapServers) {
        Map<String, Object> client = new HashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(KAFKA_PREFIX)) {
                client.put(k.substring(KAFKA_PREFIX.length()), v);
            }
        });
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return client;
    }

    /** The CRM webhook mapping: the shipped defaults with the {@code crm-mapping} file, if any, laid over them. */
    public io.kpipeline.connectors.crm.CrmMapping crmMapping() {
        String file = get("crm-mapping");
        try {
            return io.kpipeline.connectors.crm.CrmMapping.load(file.isBlank() ? null : Path.of(file));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("crm-mapping: " + e.getMessage());
        }
    }

    /** The value of setting {@code key}; a key that is not declared in {@link Settings} is a programming error. */
    public String get(String key) {
        String value = values.get(key);
        if (value == null && !isSetting(key)) {
            throw new IllegalArgumentException("no setting '" + key + "' is declared in Settings");
        }
        return value;
    }

    public int integer(String key) {
        try {
            return Integer.parseInt(get(key).trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": '" + get(key) + "' is not a whole number");
        }
    }

    public long longValue(String key) {
        try {
            return Long.parseLong(get(key).trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": '" + get(key) + "' is not a whole number");
        }
    }

    public Duration duration(String key) {
        try {
            Settings.DURATION.ensureValid(key, get(key));
        } catch (org.apache.kafka.common.config.ConfigException e) {
            throw new ConfigException(e.getMessage());
        }
        return Duration.parse(get(key).trim());
    }

    public ZoneId zone() {
        try {
            return ZoneId.of(get("business-time-zone"));
        } catch (DateTimeException e) {
            throw new ConfigException("business-time-zone: '" + get("business-time-zone") + "' is not a time zone (e.g. Europe/Berlin)");
        }
    }

    public boolean external() {
        return !get("bootstrap-servers").isBlank();
    }

    public Path dataDir() {
        return Path.of(get("data-dir"));
    }

    /** Rates from {@code fx-rates-file}: CSV lines {@code date,currency,rate} (reporting currency per unit). */
    public FxRates fxRates() {
        String file = get("fx-rates-file");
        Map<String, NavigableMap<LocalDate, BigDecimal>> rates = new HashMap<>();
        if (!file.isBlank()) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(file));
            } catch (IOException e) {
                throw new ConfigException("fx-rates-file: cannot read " + file + ": " + e.getMessage());
            }
            int n = 0;
            for (String line : lines) {
                n++;
                if (line.isBlank() || line.startsWith("#") || line.startsWith("date")) {
                    continue;
                }
                String[] f = line.split(",");
                try {
                    rates.computeIfAbsent(f[1].trim(), k -> new TreeMap<>()).put(LocalDate.parse(f[0].trim()), new BigDecimal(f[2].trim()));
                } catch (RuntimeException e) {
                    throw new ConfigException("fx-rates-file: line " + n + " of " + file + " is not date,currency,rate: '" + line + "'");
                }
            }
        }
        return new FxRates(get("reporting-currency"), rates);
    }

    public EngineSettings engineSettings() {
        Map<String, Duration> bySource = new HashMap<>();
        Map<String, Duration> bySegment = new HashMap<>();
        for (String key : values.keySet()) {
            if (key.startsWith(PREFIXES.get(0))) {
                bySource.put(key.substring(PREFIXES.get(0).length()), duration(key));
            } else if (key.startsWith(PREFIXES.get(1))) {
                bySegment.put(key.substring(PREFIXES.get(1).length()), duration(key));
            }
        }
        return new EngineSettings(new BusinessCalendar(zone()), fxRates(), duration("correction-horizon"),
                duration("lead-response-sla"), bySource, bySegment);
    }
}
