package io.kpipeline.app.http;

import io.javalin.http.Handler;
import io.kpipeline.app.config.KpiConfig;
import io.kpipeline.connectors.billing.StripeWebhook;
import io.kpipeline.connectors.crm.CrmMapping;
import io.kpipeline.connectors.crm.hubspot.HubSpotSignature;
import io.kpipeline.connectors.crm.hubspot.HubSpotWebhook;
import io.kpipeline.connectors.crm.pipedrive.PipedriveWebhook;
import io.kpipeline.connectors.crm.salesforce.SalesforceWebhook;
import io.kpipeline.connectors.kafka.EventSink;
import io.kpipeline.connectors.webhook.CanonicalWebhook;
import io.kpipeline.connectors.webhook.WebhookConnector;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The webhook endpoints from configuration: each connector is on when its credential is set, and otherwise its path
 * answers 404 naming the setting. A CRM endpoint never runs without authentication.
 */
public final class Webhooks {
    private Webhooks() {
    }

    /**
     * Path to handler, for every connector, on or off; what the engine would refuse of a valid event is refused in
     * the answer by the sink's admission ({@link EventSink#admitting}).
     */
    public static Map<String, Handler> from(KpiConfig config, EventSink sink, MeterRegistry metrics) {
        CrmMapping mapping = config.crmMapping();
        Map<String, Handler> routes = new LinkedHashMap<>();
        add(routes, "events", "webhook-token", config.get("webhook-token").isBlank() ? null
                : new CanonicalWebhook(config.get("webhook-token")), config, sink, metrics);
        add(routes, "hubspot", "hubspot-client-secret", config.get("hubspot-client-secret").isBlank() ? null
                : new HubSpotWebhook(new HubSpotSignature(config.get("hubspot-client-secret"), config.duration("hubspot-max-age"),
                Clock.systemUTC()), mapping.hubspot()), config, sink, metrics);
        boolean pipedrive = !config.get("pipedrive-user").isBlank() && !config.get("pipedrive-password").isBlank();
        add(routes, "pipedrive", "pipedrive-user and pipedrive-password", pipedrive
                ? new PipedriveWebhook(config.get("pipedrive-user"), config.get("pipedrive-password"), mapping.pipedrive()) : null, config, sink, metrics);
        add(routes, "stripe", "stripe-webhook-secret", config.get("stripe-webhook-secret").isBlank() ? null
                : new StripeWebhook(config.get("stripe-webhook-secret"), Clock.systemUTC(), mapping.stripe()), config, sink, metrics);
        add(routes, "salesforce", "salesforce-organization-id", config.get("salesforce-organization-id").isBlank() ? null
                : new SalesforceWebhook(config.get("salesforce-organization-id"), mapping.salesforce()), config, sink, metrics);
        return routes;
    }

    private static void add(Map<String, Handler> routes, String name, String settings, WebhookConnector connector, KpiConfig config,
                            EventSink sink, MeterRegistry metrics) {
        if (connector == null) {
            routes.put("/webhooks/" + name, ctx -> WebhookEndpoint.disabled(ctx, name, settings));
            return;
        }
        WebhookEndpoint endpoint = new WebhookEndpoint(connector, sink, config.longValue("webhook-max-bytes"), config.get("webhook-public-url"),
                metrics);
        routes.put(endpoint.path(), endpoint::handle);
    }
}
