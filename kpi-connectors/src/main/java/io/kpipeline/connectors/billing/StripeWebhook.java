package io.kpipeline.connectors.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import io.kpipeline.connectors.crm.BillingSection;
import io.kpipeline.connectors.crm.JsonFields;
import io.kpipeline.connectors.crm.Translation;
import io.kpipeline.connectors.webhook.WebhookConnector;
import io.kpipeline.connectors.webhook.WebhookException;
import io.kpipeline.connectors.webhook.WebhookRequest;
import io.kpipeline.schemas.event.InvalidEventException;
import io.kpipeline.schemas.part.EventPart;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /webhooks/stripe}: Stripe's event objects ({@code customer.subscription.created}, {@code .updated},
 * {@code .deleted}, {@code .paused}, {@code .resumed}), verified with the {@code Stripe-Signature} header by Stripe's
 * own library at its default tolerance (300 s). Churn is not one subscription's end but the account's last one's, so
 * each event becomes a subscription-status part keyed by the account; the engine's assembly writes
 * {@code CustomerChurned} when no subscription of the account it has heard of is still active. Stripe's other event
 * types carry nothing the KPIs use and are counted as ignored (subscribe the endpoint to
 * {@code customer.subscription.*}).
 */
public final class StripeWebhook implements WebhookConnector {
    public static final String SIGNATURE = "Stripe-Signature";
    static final String ORIGIN = "stripe";
    private static final Set<String> SUBSCRIPTION_EVENTS = Set.of("customer.subscription.created", "customer.subscription.updated",
            "customer.subscription.deleted", "customer.subscription.paused", "customer.subscription.resumed");

    private final String signingSecret;
    private final Clock clock;
    private final BillingSection mapping;

    /** @param signingSecret the endpoint's signing secret ({@code whsec_...}); null: not checked (Kafka Connect, where the source authenticates) */
    public StripeWebhook(String signingSecret, Clock clock, BillingSection mapping) {
        this.signingSecret = signingSecret;
        this.clock = clock;
        this.mapping = mapping;
    }

    @Override
    public String name() {
        return ORIGIN;
    }

    @Override
    public void authenticate(WebhookRequest request) {
        String header = request.header(SIGNATURE);
        if (header == null || header.isBlank()) {
            throw WebhookException.unauthorized("missing " + SIGNATURE + " header");
        }
        try {
            Webhook.Signature.verifyHeader(new String(request.body(), StandardCharsets.UTF_8), header, signingSecret,
                    Webhook.DEFAULT_TOLERANCE, clock);
        } catch (SignatureVerificationException e) {
            throw WebhookException.unauthorized("the " + SIGNATURE + " header does not verify: " + e.getMessage());
        }
    }

    @Override
    public Translation translate(WebhookRequest request) {
        JsonNode event = request.json();
        if (event == null || !event.isObject() || !"event".equals(JsonFields.text(event, "object"))) {
            throw WebhookException.malformed("Stripe sends one event object ({\"object\":\"event\",...})");
        }
        Translation t = new Translation();
        try {
            translate(event, t);
        } catch (InvalidEventException e) {
            t.reject(0, e, event.toString());
        } catch (RuntimeException e) {
            t.reject(0, "INVALID_FIELD", "Stripe event could not be read: " + e.getMessage(), event.toString());
        }
        return t;
    }

    private void translate(JsonNode event, Translation t) {
        String type = JsonFields.required(event, "type", "Stripe event");
        if (!SUBSCRIPTION_EVENTS.contains(type)) {
            t.ignore();
            return;
        }
        String eventId = JsonFields.required(event, "id", "Stripe event");
        Instant at = seconds(event, "created");
        JsonNode subscription = event.path("data").path("object");
        if (!"subscription".equals(JsonFields.text(subscription, "object"))) {
            throw new InvalidEventException("MISSING_FIELD", "Stripe " + type + " " + eventId + " has no subscription in data.object");
        }
        String subscriptionId = JsonFields.required(subscription, "id", "Stripe subscription");
        String status = JsonFields.required(subscription, "status", "Stripe subscription");
        String account = account(subscription, subscriptionId);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("accountId", account);
        values.put("subscriptionId", subscriptionId);
        values.put("status", status);
        // the end is when the subscription stopped, not when Stripe told of it (a deletion can be sent later)
        Instant ended = subscription.hasNonNull("ended_at") ? seconds(subscription, "ended_at")
                : subscription.hasNonNull("canceled_at") && status.equals("canceled") ? seconds(subscription, "canceled_at") : null;
        if (ended != null) {
            values.put("endedAt", ended.toString());
        }
        t.part(new EventPart(EventPart.Kind.SUBSCRIPTION, "account:" + account, "stripe:" + eventId, at, ORIGIN, "status", values,
                event.toString()));
    }

    /** The account a subscription's customer is, as the mapping's {@code stripe.account-id} says. */
    private String account(JsonNode subscription, String subscriptionId) {
        JsonNode customer = subscription.path("customer");
        String customerId = customer.isObject() ? JsonFields.text(customer, "id") : customer.isTextual() ? customer.asText() : null;
        String key = mapping.accountMetadataKey();
        if (key == null) {
            if (customerId == null || customerId.isBlank()) {
                throw new InvalidEventException("MISSING_FIELD", "Stripe subscription " + subscriptionId + " has no customer");
            }
            return mapping.accountOfCustomer(customerId);
        }
        String fromSubscription = JsonFields.text(subscription.path("metadata"), key);
        String fromCustomer = customer.isObject() ? JsonFields.text(customer.path("metadata"), key) : null;
        String account = fromSubscription != null && !fromSubscription.isBlank() ? fromSubscription : fromCustomer;
        if (account == null || account.isBlank()) {
            throw new InvalidEventException("MISSING_FIELD", "Stripe subscription " + subscriptionId + " (customer " + customerId
                    + ") has no metadata '" + key + "', which names its account (stripe.account-id " + mapping.accountIdRule() + ")");
        }
        return account;
    }

    private static Instant seconds(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (!v.canConvertToLong()) {
            throw new InvalidEventException("INVALID_FIELD", "Stripe " + field + " is not epoch seconds: " + v);
        }
        return Instant.ofEpochSecond(v.asLong());
    }
}
