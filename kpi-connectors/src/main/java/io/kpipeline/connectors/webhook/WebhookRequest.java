package io.kpipeline.connectors.webhook;

import java.util.Map;
import java.util.TreeMap;

/**
 * One webhook delivery as received: method, the full URL the sender called, headers (looked up ignoring case) and
 * the raw body, which signatures are computed over.
 */
public record WebhookRequest(String method, String url, Map<String, String> headers, byte[] body) {
    public WebhookRequest {
        TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        headers = h;
    }

    public String header(String name) {
        return headers.get(name);
    }

    /** The body as JSON (decimals exact); a body that is not JSON is a 400 naming what is wrong. */
    public com.fasterxml.jackson.databind.JsonNode json() {
        try {
            return io.kpipeline.schemas.event.EventJson.readTree(body);
        } catch (io.kpipeline.schemas.event.InvalidEventException e) {
            throw WebhookException.malformed("body is not JSON: " + e.getMessage());
        }
    }
}
