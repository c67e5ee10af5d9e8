package io.kpipeline.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.kpipeline.avro.CrmEvent;
import io.kpipeline.connectors.kafka.EventSink;
import io.kpipeline.schemas.event.EventJson;
import io.kpipeline.schemas.event.InvalidEventException;
import io.kpipeline.streams.query.QueryException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /webhooks/events}: canonical events as JSON, one object or an array, with a bearer token. Valid
 * events are acknowledged only once the broker has them; invalid ones go to the dead-letter topic with their
 * reason and are listed in the answer; nothing valid is held back by them.
 */
public final class CanonicalWebhook {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final EventSink sink;
    private final String token;
    private final long maxBytes;

    public CanonicalWebhook(EventSink sink, String token, long maxBytes) {
        this.sink = sink;
        this.token = token;
        this.maxBytes = maxBytes;
    }

    public void handle(Context ctx) throws Exception {
        if (token.isEmpty()) {
            throw new QueryException(404, "the canonical webhook is off: set webhook-token to enable it");
        }
        String auth = ctx.header("Authorization");
        byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        if (auth == null || !MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8), expected)) {
            throw new QueryException(401, "missing or wrong bearer token");
        }
        byte[] body = ctx.bodyAsBytes();
        if (body.length > maxBytes) {
            throw new QueryException(413, "body of " + body.length + " bytes is over the limit of " + maxBytes);
        }
        JsonNode root;
        try {
            root = EventJson.readTree(body);
        } catch (InvalidEventException e) {
            throw new QueryException(400, "body is not JSON: " + e.getMessage());
        }
        if (root == null || !(root.isObject() || root.isArray())) {
            throw new QueryException(400, "body must be one event object or an array of them");
        }
        List<JsonNode> items = new ArrayList<>();
        root.forEach(items::add);
        if (root.isObject()) {
            items = List.of(root);
        }
        List<CrmEvent> valid = new ArrayList<>();
        ArrayNode rejected = JSON.createArrayNode();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            try {
                if (!item.isObject()) {
                    throw new InvalidEventException("INVALID_JSON", "item " + i + " is not an object");
                }
                valid.add(EventJson.fromTree((ObjectNode) item));
            } catch (InvalidEventException e) {
                sink.reject(e, "webhook:events", null, (long) i, item.toString().getBytes(StandardCharsets.UTF_8));
                rejected.addObject().put("index", i).put("reasonCode", e.reasonCode()).put("reason", e.getMessage());
            }
        }
        sink.sendDurably(valid);
        ObjectNode answer = JSON.createObjectNode().put("accepted", valid.size());
        answer.set("rejected", rejected);
        ctx.status(valid.isEmpty() && !rejected.isEmpty() ? 400 : 200).contentType("application/json").result(answer.toString());
    }
}
