package io.kpipeline.app.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Every setting of the pipeline, declared once: its type, default, what values are valid and what it means. The
 * configuration is checked against these declarations at start, and {@code docs/configuration.md} is generated from
 * them ({@link #markdown}; a test fails when the file is stale).
 */
public final class Settings {
    private Settings() {
    }

    /** An ISO-8601 duration, not negative. */
    static final ConfigDef.Validator DURATION = new ConfigDef.Validator() {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                if (Duration.parse(value.toString().trim()).isNegative()) {
                    throw new ConfigException(name, value, "a duration may not be negative");
                }
            } catch (DateTimeParseException e) {
                throw new ConfigException(name, value, "not an ISO-8601 duration (e.g. PT5M, P400D)");
            }
        }

        @Override
        public String toString() {
            return "an ISO-8601 duration (PT5M, P400D)";
        }
    };

    /** Blank (the default applies) or a whole number of at least {@code min}. */
    static ConfigDef.Validator blankOrAtLeast(int min, String blankMeans) {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                String v = value == null ? "" : value.toString().trim();
                if (v.isEmpty()) {
                    return;
                }
                try {
                    if (Integer.parseInt(v) < min) {
                        throw new ConfigException(name, value, "must be at least " + min + " (or blank: " + blankMeans + ")");
                    }
                } catch (NumberFormatException e) {
                    throw new ConfigException(name, value, "not a whole number (or blank: " + blankMeans + ")");
                }
            }

            @Override
            public String toString() {
                return "blank, or at least " + min;
            }
        };
    }

    static final ConfigDef.Validator ZONE = new ConfigDef.Validator() {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                ZoneId.of(value.toString().trim());
            } catch (java.time.DateTimeException e) {
                throw new ConfigException(name, value, "not a time zone (e.g. UTC, Europe/Berlin)");
            }
        }

        @Override
        public String toString() {
            return "a time-zone id (UTC, Europe/Berlin)";
        }
    };

    static final ConfigDef.Validator CURRENCY = new ConfigDef.Validator() {
        @Override
        public void ensureValid(String name, Object value) {
            if (!value.toString().matches("[A-Z]{3}")) {
                throw new ConfigException(name, value, "not an ISO-4217 code");
            }
        }

        @Override
        public String toString() {
            return "an ISO-4217 code";
        }
    };

    private static final Range PORT = Range.between(0, 65535);

    public static final ConfigDef DEF = new ConfigDef()
            .define("port", Type.INT, 8080, PORT, Importance.HIGH, "HTTP port (also `--port`)")
            .define("host", Type.STRING, "localhost", Importance.MEDIUM, "interface the HTTP server binds (`0.0.0.0` in containers)")
            .define("advertised-host", Type.STRING, "", Importance.MEDIUM, "the name other instances use to reach this one's API (Kafka "
                    + "Streams' `application.server`); blank: `host`, or the machine's name when `host` is `0.0.0.0`")
            .define("data-dir", Type.STRING, "./data", Importance.HIGH, "broker, registry and state-store data (also `--data-dir`)")
            .define("kafka-port", Type.INT, 9092, PORT, Importance.LOW, "where the embedded broker listens")
            .define("kafka-controller-port", Type.INT, 9093, PORT, Importance.LOW, "the embedded broker's KRaft controller port")
            .define("schema-registry-port", Type.INT, 8081, PORT, Importance.LOW, "where the embedded schema registry listens")
            .define("bootstrap-servers", Type.STRING, "", Importance.HIGH, "an existing Kafka cluster (also the flag); blank: the embedded broker")
            .define("schema-registry", Type.STRING, "", Importance.HIGH, "an existing schema registry's URL (also the flag); blank: the embedded one")
            .define("business-time-zone", Type.STRING, "UTC", ZONE, Importance.HIGH, "zone in which days, weeks, months, quarters and years are cut")
            .define("reporting-currency", Type.STRING, "EUR", CURRENCY, Importance.HIGH, "currency of every money figure")
            .define("fx-rates-file", Type.STRING, "", Importance.MEDIUM, "CSV `date,currency,rate` (reporting currency per unit, from that "
                    + "date); rates can also be published on `kpi-fx-rates`")
            .define("correction-horizon", Type.STRING, "P400D", DURATION, Importance.MEDIUM, "how late (behind stream time) an event may be and still apply")
            .define("lead-response-sla", Type.STRING, "PT5M", DURATION, Importance.HIGH, "first-contact deadline; `lead-response-sla.source.<source>` "
                    + "and `lead-response-sla.segment.<segment>` override it")
            .define("lead-response-escalation", Type.STRING, "PT30M", DURATION, Importance.MEDIUM, "the second deadline")
            .define("alerting-horizon", Type.STRING, "PT1H", DURATION, Importance.LOW, "leads created longer ago than this never alert")
            .define("rep-degraded-leads", Type.INT, 20, Range.atLeast(1), Importance.LOW, "window (a rep's last first responses) of `rep_response_degraded`")
            .define("rep-degraded-p90", Type.STRING, "PT15M", DURATION, Importance.LOW, "threshold of `rep_response_degraded`")
            .define("partitions", Type.INT, 4, Range.atLeast(1), Importance.MEDIUM, "partitions of the topics the pipeline creates (`crm-events` excepted)")
            .define("event-partitions", Type.INT, 8, Range.atLeast(1), Importance.HIGH, "partitions of `crm-events` when the pipeline creates it; the "
                    + "engine runs one task per partition in each of its stages (an existing `crm-events` keeps its own count; with more than one "
                    + "partition every event is repartitioned by entity first, so records keyed by anything are applied exactly)")
            .define("stream-threads", Type.STRING, "", blankOrAtLeast(1, "one per core"), Importance.MEDIUM, "Kafka Streams threads of this instance; blank: one per core")
            .define("application-id", Type.STRING, "kpi-pipeline", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Kafka Streams application id (instances sharing it share the work)")
            .define("publish-interval", Type.STRING, "PT1S", DURATION, Importance.LOW, "how often a round of changed KPIs goes to `kpi-updates` "
                    + "(a round longer than this, after a backfill, runs on in 100 ms chunks)")
            .define("commit-interval", Type.STRING, "PT0.2S", DURATION, Importance.MEDIUM, "exactly-once commit interval while the engine keeps up "
                    + "(KPIs become visible at each commit: shorter is fresher)")
            .define("backlog-commit-interval", Type.STRING, "PT1S", DURATION, Importance.LOW, "commit interval while the engine works through a "
                    + "backlog (an import, a restart after downtime): each commit writes every changed entity and aggregate, so longer is faster. "
                    + "Backlog: within the last interval the engine spent over 40% of a tick processing more than 5,000 events/s that had waited "
                    + "longer than that; it ends at once when the records processed came in recently")
            .define("cache-max-bytes", Type.LONG, 67108864L, Range.atLeast(0), Importance.LOW, "Kafka Streams record cache")
            .define("webhook-token", Type.STRING, "", Importance.HIGH, "bearer token of `POST /webhooks/events`; the endpoint answers 404 until it is set")
            .define("webhook-max-bytes", Type.LONG, 10485760L, Range.atLeast(1), Importance.LOW, "largest webhook body accepted (413 above)")
            .define("webhook-public-url", Type.STRING, "", Importance.MEDIUM, "scheme and host the CRMs call (e.g. `https://kpi.example.com`), for "
                    + "signatures over the URL behind a proxy; blank: the request's own")
            .define("crm-mapping", Type.STRING, "", Importance.HIGH, "YAML file laid over the CRM mapping defaults (stages, owners, statuses, "
                    + "channels; see [connectors](connectors.md))")
            .define("hubspot-client-secret", Type.STRING, "", Importance.HIGH, "the HubSpot app's client secret: turns on `POST /webhooks/hubspot` "
                    + "and verifies its signatures")
            .define("hubspot-max-age", Type.STRING, "PT5M", DURATION, Importance.LOW, "oldest `X-HubSpot-Request-Timestamp` accepted")
            .define("pipedrive-user", Type.STRING, "", Importance.HIGH, "the HTTP basic auth user set on the Pipedrive webhook (with "
                    + "`pipedrive-password`, turns on `POST /webhooks/pipedrive`)")
            .define("pipedrive-password", Type.STRING, "", Importance.HIGH, "the HTTP basic auth password set on the Pipedrive webhook")
            .define("salesforce-organization-id", Type.STRING, "", Importance.HIGH, "the org whose outbound messages `POST /webhooks/salesforce` "
                    + "accepts (15 or 18 characters)")
            .define("stripe-webhook-secret", Type.STRING, "", Importance.HIGH, "the signing secret (`whsec_...`) of the Stripe webhook endpoint: "
                    + "turns on `POST /webhooks/stripe` and verifies its `Stripe-Signature` (subscription ends become churn)")
            .define("touchpoint-assembly-wait", Type.STRING, "PT1H", DURATION, Importance.LOW, "how long a HubSpot engagement may wait for "
                    + "its remaining parts (creation, time, direction, association) before it is dead-lettered as incomplete; it is still "
                    + "logged if they arrive later")
            .define("api-token", Type.STRING, "", Importance.HIGH, "when set, every request except `/health`, `/metrics` (counts, no KPI values) "
                    + "and `/webhooks/*` needs `Authorization: Bearer <token>`; a browser opens `/?token=<token>` once and gets an HttpOnly, "
                    + "SameSite=Strict cookie (Secure under TLS). Instances put it on the queries they forward to each other")
            .define("tls-keystore", Type.STRING, "", Importance.HIGH, "a PKCS12 (or `.jks`) file with the server key and certificate: the API "
                    + "and dashboard speak HTTPS only; blank: HTTP")
            .define("tls-keystore-password", Type.STRING, "", Importance.HIGH, "the keystore's password")
            .define("tls-truststore", Type.STRING, "", Importance.MEDIUM, "what an instance trusts when it forwards a query to another over "
                    + "HTTPS; blank: the keystore")
            .define("tls-truststore-password", Type.STRING, "", Importance.MEDIUM, "the truststore's password")
            .define("standby-replicas", Type.INT, 1, Range.atLeast(0), Importance.MEDIUM, "Kafka Streams standby replicas: a warm copy of the "
                    + "stores on another instance, so a killed owner's series answer again once the group reassigns them")
            .define("replication-factor", Type.STRING, "", blankOrAtLeast(1, "as many brokers as there are, up to 3"), Importance.HIGH,
                    "replication of the topics the pipeline creates and of Kafka Streams' internal topics; blank: the brokers, up to 3")
            .define("session-timeout", Type.STRING, "PT10S", DURATION, Importance.LOW, "how soon the group notices a killed instance and moves its work")
            .define("output-compression", Type.STRING, "gzip", ValidString.in("none", "gzip", "snappy", "lz4", "zstd"), Importance.LOW,
                    "compression of `kpi-updates` and `kpi-alerts`: gzip and none are read by every Kafka client without plug-ins (kafkajs, for "
                    + "one, needs a plug-in for the others); set on the topics at every start");

    /**
     * A codec of {@code output-compression} as a topic's {@code compression.type} says it: a topic says
     * {@code uncompressed} where a producer says {@code none}.
     */
    public static String topicCompression(String codec) {
        return codec.equals("none") ? "uncompressed" : codec;
    }

    /** The defaults, as the text a setting's value is given in. */
    static Map<String, String> defaults() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (ConfigDef.ConfigKey k : DEF.configKeys().values()) {
            out.put(k.name, String.valueOf(k.defaultValue));
        }
        return out;
    }

    /** Checks every declared setting's value against its type and validator; throws naming the first that fails. */
    static void check(Map<String, String> values) {
        Map<String, String> declared = new java.util.HashMap<>();
        for (String key : DEF.names()) {
            declared.put(key, values.get(key));
        }
        try {
            DEF.parse(declared);
        } catch (ConfigException e) {
            throw new io.kpipeline.app.config.ConfigException(e.getMessage());
        }
    }

    /** The table of {@code docs/configuration.md}: one row per setting, in declaration order. */
    public static String markdown() {
        StringBuilder out = new StringBuilder("| key | default | valid values | meaning |\n|---|---|---|---|\n");
        for (ConfigDef.ConfigKey k : DEF.configKeys().values()) {
            String def = String.valueOf(k.defaultValue);
            String valid = k.validator != null ? k.validator.toString() : switch (k.type) {
                case INT, LONG -> "a whole number";
                default -> "text";
            };
            out.append("| `").append(k.name).append("` | ").append(def.isEmpty() ? "(blank)" : "`" + def + "`").append(" | ")
                    .append(valid.replace("|", "\\|")).append(" | ").append(k.documentation).append(" |\n");
        }
        out.append("| `kafka.<client setting>` | | | passed as it is to every Kafka client (admin, producers, consumers, streams), e.g. "
                + "`kafka.security.protocol=SASL_SSL`, `kafka.sasl.mechanism=SCRAM-SHA-512`, `kafka.sasl.jaas.config=...` |\n");
        return out.toString();
    }
}
