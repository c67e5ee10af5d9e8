package io.kpipeline.connectors.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.connectors.crm.Translation;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /webhooks/events}: canonical events as JSON, one object or an array, with a bearer token. A delivery
 * in which nothing was valid answers 400, so a sender that only sends bad events notices.
 */
public final class CanonicalWebhook implements WebhookConnector {
    private final String token;

    public CanonicalWebhook(String token) {
        this.token = token;
    }

    @Override
    public String name() {
        return "events";
    }

    @Override
    public void authenticate(WebhookRequest request) {
        // the scheme is case-insensitive (RFC 7235), the token is not
        String header = request.header("Authorization");
        String offered = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        if (!Secrets.equal(offered, token)) {
            throw WebhookException.unauthorized("missing or wrong bearer token");
        }
    }

    @Override
    public Translation translate(WebhookRequest request) {
        JsonNode root = request.json();
        if (root == null || !(root.isObject() || root.isArray())) {
            throw WebhookException.malformed("body must be one event object or an array of them");
        }
        List<JsonNode> items = new ArrayList<>();
        if (root.isObject()) {
            items.add(root);
        } else {
            root.forEach(items::add);
        }
        Translation t = new Translation();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            if (item.isObject()) {
                t.add((ObjectNode) item, i, item.toString());
            } else {
                t.reject(i, "INVALID_JSON", "item " + i + " is not an object", item.toString());
            }
        }
        return t;
    }

    @Override
    public Reply accepted(Translation t) {
        boolean nothingValid = t.events().isEmpty() && !t.rejected().isEmpty();
        return new Reply(nothingValid ? 400 : 200, "application/json", WebhookConnector.summary(t).toString());
    }
}
