package io.kpipeline.connectors.crm.hubspot;

import io.kpipeline.connectors.webhook.Secrets;
import io.kpipeline.connectors.webhook.WebhookException;
import io.kpipeline.connectors.webhook.WebhookRequest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * HubSpot's v3 request signature: Base64 of HMAC-SHA256, keyed by the app's client secret, over
 * method + URI + body + the {@code X-HubSpot-Request-Timestamp} header; requests whose timestamp is further from now
 * than the allowed age (HubSpot says 5 minutes) are refused, so a captured request cannot be replayed later.
 */
public final class HubSpotSignature {
    public static final String SIGNATURE = "X-HubSpot-Signature-v3";
    public static final String TIMESTAMP = "X-HubSpot-Request-Timestamp";
    /** HubSpot signs the URI with these escapes decoded. */
    private static final Map<String, String> DECODED = Map.ofEntries(Map.entry("%3A", ":"), Map.entry("%2F", "/"),
            Map.entry("%3F", "?"), Map.entry("%40", "@"), Map.entry("%21", "!"), Map.entry("%24", "$"), Map.entry("%27", "'"),
            Map.entry("%28", "("), Map.entry("%29", ")"), Map.entry("%2A", "*"), Map.entry("%2C", ","), Map.entry("%3B", ";"));

    private final String clientSecret;
    private final Duration maxAge;
    private final Clock clock;

    public HubSpotSignature(String clientSecret, Duration maxAge, Clock clock) {
        this.clientSecret = clientSecret;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    public void verify(WebhookRequest request) {
        String signature = request.header(SIGNATURE);
        String timestamp = request.header(TIMESTAMP);
        if (signature == null || timestamp == null) {
            throw WebhookException.unauthorized("missing " + SIGNATURE + " or " + TIMESTAMP + " header");
        }
        long sentAt;
        try {
            sentAt = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw WebhookException.unauthorized(TIMESTAMP + " is not epoch milliseconds: '" + timestamp + "'");
        }
        long age = clock.millis() - sentAt;
        if (Math.abs(age) > maxAge.toMillis()) {
            throw WebhookException.unauthorized("stale request: its timestamp is " + age / 1000 + " s from now, more than "
                    + maxAge.toSeconds() + " s");
        }
        String expected = sign(request.method(), request.url(), request.body(), timestamp.trim());
        if (!Secrets.equal(signature.trim(), expected)) {
            throw WebhookException.unauthorized("the " + SIGNATURE + " signature does not match the request");
        }
    }

    /** The signature HubSpot would send for this request. */
    public String sign(String method, String url, byte[] body, String timestamp) {
        String uri = url;
        for (Map.Entry<String, String> e : DECODED.entrySet()) {
            uri = uri.replace(e.getKey(), e.getValue()).replace(e.getKey().toLowerCase(), e.getValue());
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clientSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((method + uri).getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
