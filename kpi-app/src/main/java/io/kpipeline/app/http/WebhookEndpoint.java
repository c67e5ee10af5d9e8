package io.kpipeline.app.http;

import io.javalin.http.Context;
import io.kpipeline.avro.CrmEvent;
import io.kpipeline.connectors.crm.Translation;
import io.kpipeline.connectors.kafka.EventSink;
import io.kpipeline.connectors.webhook.WebhookConnector;
import io.kpipeline.connectors.webhook.WebhookException;
import io.kpipeline.connectors.webhook.WebhookRequest;
import io.kpipeline.streams.query.QueryException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code POST /webhooks/<connector>}: any CRM connector behind one sequence. The body's size is checked before it
 * is read, then the delivery is authenticated (nothing is written for a bad signature or credentials), translated,
 * its untranslatable items written to the dead-letter topic, its events sent, and only once the broker has
 * acknowledged all of them is the CRM answered, so a failure at any step makes the CRM retry and a retry is
 * harmless (the CRM's ids are the events' ids).
 */
public final class WebhookEndpoint {
    /** Up to this size an over-limit body is still read (and dropped) before the 413; beyond it the connection closes. */
    private static final long DRAIN_LIMIT = 64L << 20;
    private final WebhookConnector connector;
    private final EventSink sink;
    private final long maxBytes;
    private final String publicBaseUrl;
    private final Counter accepted;
    private final Counter rejected;

    /**
     * @param publicBaseUrl the scheme and host the CRM calls (behind a proxy the request's own differ), used for
     *                      signatures over the URL; blank means the request's own
     */
    public WebhookEndpoint(WebhookConnector connector, EventSink sink, long maxBytes, String publicBaseUrl, MeterRegistry metrics) {
        this.connector = connector;
        this.sink = sink;
        this.maxBytes = maxBytes;
        this.publicBaseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
        this.accepted = Counter.builder("kpi_webhook_events").tag("connector", connector.name()).tag("outcome", "accepted")
                .description("canonical events made from webhook deliveries, and items sent to the dead-letter topic").register(metrics);
        this.rejected = Counter.builder("kpi_webhook_events").tag("connector", connector.name()).tag("outcome", "rejected")
                .description("canonical events made from webhook deliveries, and items sent to the dead-letter topic").register(metrics);
    }

    public String path() {
        return "/webhooks/" + connector.name();
    }

    public void handle(Context ctx) throws Exception {
        long declared = ctx.contentLength();
        if (declared > maxBytes) {
            if (declared <= DRAIN_LIMIT) {
                // read what was sent, so the sender gets the 413 rather than a connection reset mid-upload
                ctx.req().getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            }
            throw new QueryException(413, "body of " + declared + " bytes is over the limit of " + maxBytes + " (webhook-max-bytes)");
        }
        byte[] body = ctx.bodyAsBytes();
        if (body.length > maxBytes) {
            throw new QueryException(413, "body of " + body.length + " bytes is over the limit of " + maxBytes + " (webhook-max-bytes)");
        }
        Map<String, String> headers = new HashMap<>(ctx.headerMap());
        String query = ctx.queryString();
        String url = publicBaseUrl.isBlank() ? ctx.fullUrl() : publicBaseUrl + ctx.path() + (query == null ? "" : "?" + query);
        WebhookRequest request = new WebhookRequest(ctx.method().name(), url, headers, body);
        Translation t;
        try {
            connector.authenticate(request);
            t = connector.translate(request);
        } catch (WebhookException e) {
            throw new QueryException(e.status(), e.getMessage());
        }
        // what Kafka or the engine would refuse (too large a record, too late, no exchange rate) is refused in the
        // answer now, and dead-lettered, the rest of the delivery kept: the sender can still act on it
        t.refuseWhere(e -> sink.refusal(e, sink.serialize(e)));
        java.util.List<java.util.concurrent.Future<?>> deadLetters = new java.util.ArrayList<>();
        for (Translation.Rejected r : t.rejected()) {
            deadLetters.add(sink.reject(r.reason(), "webhook:" + connector.name(), null, (long) r.index(), r.raw()));
        }
        java.util.List<CrmEvent> events = t.events();
        sink.sendDurably(events, t.parts()); // flushes the dead letters above too
        for (var d : deadLetters) {
            d.get(); // a dead letter that did not arrive must make the CRM retry, as a lost event would
        }
        accepted.increment(events.size());
        rejected.increment(t.rejected().size());
        WebhookConnector.Reply reply = connector.accepted(t);
        ctx.status(reply.status()).contentType(reply.contentType()).result(reply.body());
    }

    /** A connector that is not configured: its path answers 404 saying which settings enable it. */
    public static void disabled(Context ctx, String name, String settings) {
        throw new QueryException(404, "the " + name + " webhook is off: set " + settings + " to enable it");
    }
}
