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
}
