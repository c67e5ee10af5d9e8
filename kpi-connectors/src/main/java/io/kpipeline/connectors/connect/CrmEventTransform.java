package io.kpipeline.connectors.connect;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kpipeline.avro.CrmEvent;
import io.kpipeline.connectors.billing.StripeWebhook;
import io.kpipeline.connectors.crm.CrmMapping;
import io.kpipeline.connectors.crm.Translation;
import io.kpipeline.connectors.crm.hubspot.HubSpotWebhook;
import io.kpipeline.connectors.crm.pipedrive.PipedriveWebhook;
import io.kpipeline.connectors.crm.salesforce.SalesforceWebhook;
import io.kpipeline.connectors.kafka.EventSink;
import io.kpipeline.connectors.webhook.CanonicalWebhook;
import io.kpipeline.connectors.webhook.WebhookConnector;
import io.kpipeline.connectors.webhook.WebhookException;
import io.kpipeline.connectors.webhook.WebhookRequest;
import io.kpipeline.schemas.registry.RestSchemaRegistryClient;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.Transformation;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CRM translations of the webhook endpoints as a Kafka Connect Single Message Transform: a record whose value
 * is one CRM delivery (a HubSpot subscription event or array of them, a Pipedrive v2 webhook body, a Salesforce
 * outbound message, a Stripe event, or canonical events) becomes a record for {@code crm-events} in the Confluent wire format the
 * pipeline reads, keyed by entity. Use it with {@code value.converter=ByteArrayConverter}; it accepts String, bytes
 * or schemaless-JSON (Map) values.
 *
 * <p>Connect's dead-letter queue serves sink connectors only, and a transform emits one record per input, so the
 * transform has a producer of its own: items it cannot translate go to {@code crm-events-dlq} with their reason, and
 * when a delivery means several events (a Salesforce snapshot, a Pipedrive change of several fields) the first
 * is the transformed record and the others are sent, and acknowledged, before it returns; so are the parts of events
 * that only several deliveries make (a HubSpot engagement's, a Stripe subscription's), to {@code crm-event-parts}. Event ids come from the
 * CRM's own ids, so anything sent twice after a task restart is a duplicate that changes nothing. Authentication is
 * the source connector's part: a transform sees data Connect already accepted.
 */
public final class CrmEventTransform<R extends ConnectRecord<R>> implements Transformation<R> {
    public static final String CRM = "crm";
    public static final String MAPPING_FILE = "mapping.file";
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String TOPIC = "topic";
    public static final String DEAD_LETTER_TOPIC = "dead.letter.topic";
    public static final String PRODUCER_PREFIX = "producer.";
    private static final ObjectMapper JSON = new ObjectMapper();

    static final ConfigDef CONFIG = new ConfigDef()
            .define(CRM, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.ValidString.in("hubspot", "pipedrive", "salesforce", "stripe", "events"),
                    ConfigDef.Importance.HIGH, "whose payloads the records carry: hubspot, pipedrive, salesforce, stripe (event objects), or events (canonical JSON)")
            .define(MAPPING_FILE, ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
                    "a CRM mapping YAML laid over the shipped defaults (the pipeline's crm-mapping setting); empty: the defaults")
            .define(BOOTSTRAP_SERVERS, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Importance.HIGH,
                    "the pipeline's Kafka cluster, for dead letters and the further events of a delivery that means several")
            .define(SCHEMA_REGISTRY_URL, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Importance.HIGH,
                    "the Confluent-compatible schema registry the pipeline uses")
            .define(TOPIC, ConfigDef.Type.STRING, "crm-events", ConfigDef.Importance.LOW, "the canonical event topic")
            .define(DEAD_LETTER_TOPIC, ConfigDef.Type.STRING, "crm-events-dlq", ConfigDef.Importance.LOW, "the dead-letter topic");

    private WebhookConnector translator;
    private EventSink sink;
    private String topic;

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    @Override
    public void configure(Map<String, ?> props) {
        AbstractConfig config = new AbstractConfig(CONFIG, props);
        String file = config.getString(MAPPING_FILE);
        CrmMapping mapping;
        try {
            mapping = CrmMapping.load(file.isBlank() ? null : Path.of(file));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(MAPPING_FILE, file, e.getMessage());
        }
        translator = translator(config.getString(CRM), mapping);
        topic = config.getString(TOPIC);
        Map<String, Object> producer = new HashMap<>(config.originalsWithPrefix(PRODUCER_PREFIX));
        producer.put(BOOTSTRAP_SERVERS, config.getString(BOOTSTRAP_SERVERS));
        sink = new EventSink(producer, new RestSchemaRegistryClient(config.getString(SCHEMA_REGISTRY_URL), null), topic,
                config.getString(DEAD_LETTER_TOPIC));
    }

    /** The webhook translations without their authentication (which the source connector owns). */
    private static WebhookConnector translator(String crm, CrmMapping mapping) {
        return switch (crm) {
            case "hubspot" -> new HubSpotWebhook(null, mapping.hubspot());
            case "pipedrive" -> new PipedriveWebhook(null, null, mapping.pipedrive());
            case "salesforce" -> new SalesforceWebhook(null, mapping.salesforce());
            case "stripe" -> new StripeWebhook(null, java.time.Clock.systemUTC(), mapping.stripe());
            default -> new CanonicalWebhook(null);
        };
    }

    @Override
    public R apply(R record) {
        if (record.value() == null) {
            return null; // a tombstone carries no delivery
        }
        byte[] body = body(record.value());
        if (translator instanceof HubSpotWebhook && body.length > 0 && body[0] == '{') {
            // HTTP source connectors split HubSpot's array into one subscription event per record
            body = ("[" + new String(body, StandardCharsets.UTF_8) + "]").getBytes(StandardCharsets.UTF_8);
        }
        Translation t;
        try {
            t = translator.translate(new WebhookRequest("POST", "connect:" + record.topic(), Map.of(), body));
        } catch (WebhookException e) {
            t = new Translation();
            t.reject(0, "INVALID_JSON", e.getMessage(), new String(body, StandardCharsets.UTF_8));
        }
        // an event Kafka would refuse as a record goes to the dead-letter topic, not into a failing task
        t.refuseWhere(e -> sink.tooLarge(sink.serialize(e)));
        try {
            List<java.util.concurrent.Future<?>> deadLetters = new java.util.ArrayList<>();
            for (Translation.Rejected r : t.rejected()) {
                deadLetters.add(sink.reject(r.reason(), "connect:" + translator.name(), null, null, r.raw()));
            }
            List<CrmEvent> events = t.events();
            // parts (a HubSpot engagement's, a Stripe subscription's) go to the parts topic for the engine to assemble
            sink.sendDurably(events.size() > 1 ? events.subList(1, events.size()) : List.of(), t.parts());
            for (var d : deadLetters) {
                d.get();
            }
            if (events.isEmpty()) {
                return null;
            }
            ProducerRecord<byte[], byte[]> out = sink.serialize(events.get(0));
            return record.newRecord(topic, null, Schema.BYTES_SCHEMA, out.key(), Schema.BYTES_SCHEMA, out.value(), events.get(0).getOccurredAt().toEpochMilli());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while sending", e);
        } catch (java.util.concurrent.ExecutionException e) {
            // Connect retries the batch; ids are stable, so what did arrive is a duplicate then
            throw new ConnectException("the dead letters or further events of a delivery were not acknowledged", e.getCause());
        }
    }

    private static byte[] body(Object value) {
        if (value instanceof byte[] b) {
            return b;
        }
        if (value instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            try {
                return JSON.writeValueAsBytes(value);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new DataException("a Map value that is not JSON: " + e.getMessage());
            }
        }
        throw new DataException("a record value of " + value.getClass().getName() + ": expected String, bytes or schemaless JSON; "
                + "set value.converter to StringConverter, ByteArrayConverter or JsonConverter (schemas.enable=false)");
    }

    @Override
    public void close() {
        if (sink != null) {
            sink.close();
        }
    }
}
