package io.kpipeline.connectors.webhook;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.connectors.crm.Translation;

/**
 * A CRM's webhook: how its deliveries are authenticated, how they translate to canonical events, and what the CRM
 * expects as the answer once the events are durable. Implementations are stateless and thread-safe.
 */
public interface WebhookConnector {
    /** The path segment: {@code /webhooks/<name>}, also the {@code origin} of the events it makes. */
    String name();

    /** Throws {@link WebhookException} (401) unless the delivery comes from the configured CRM account. */
    void authenticate(WebhookRequest request);

    /** Throws {@link WebhookException} (400) when the body as a whole is not this CRM's payload. */
    Translation translate(WebhookRequest request);

    /**
     * The answer once the translation's events are durable: 200 with what was accepted, ignored and rejected
     * (rejected items are in the dead-letter topic by then, so the CRM must not send them again).
     */
    default Reply accepted(Translation t) {
        return new Reply(200, "application/json", summary(t).toString());
    }

    /**
     * {@code {"accepted":n,"parts":n,"ignored":n,"rejected":[{"index","reasonCode","reason"}]}}: {@code parts} are items
     * kept as parts of an event that their other parts complete (an engagement's association, a subscription's end).
     */
    static ObjectNode summary(Translation t) {
        ObjectNode answer = JsonNodeFactory.instance.objectNode().put("accepted", t.events().size()).put("parts", t.parts().size())
                .put("ignored", t.ignored());
        var rejected = answer.putArray("rejected");
        for (Translation.Rejected r : t.rejected()) {
            rejected.addObject().put("index", r.index()).put("reasonCode", r.reason().reasonCode()).put("reason", r.reason().getMessage());
        }
        return answer;
    }

    /** An HTTP answer. */
    record Reply(int status, String contentType, String body) {
    }
}
