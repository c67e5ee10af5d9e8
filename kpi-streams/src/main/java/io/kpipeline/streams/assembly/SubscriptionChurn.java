package io.kpipeline.streams.assembly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.schemas.part.EventPart;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * An account's churn from the statuses of its subscriptions: the account has churned when a subscription of it
 * has ended ({@code canceled}) and none it has is still active (trialing, active, past due, unpaid or paused), at the
 * end of the last one to end. Each subscription's status is the latest its events gave ({@link Latest}), so the
 * answer does not depend on the order the billing system's events came in. An account with a subscription the
 * pipeline never heard of (one older than the webhook and unchanged since) is taken to have only those it has heard
 * of: Stripe sends {@code customer.subscription.updated} at each renewal, so after one billing period it knows them all.
 *
 * <p>The state: {@code subs} (per subscription id a {@link Latest} slot of its status, with its end) and
 * {@code churned} (the id of the churn last sent, so that a retry or a later part sends it once).
 */
final class SubscriptionChurn {
    static final Set<String> ACTIVE = Set.of("trialing", "active", "past_due", "unpaid", "paused");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private SubscriptionChurn() {
    }

    static ObjectNode empty() {
        ObjectNode s = JSON.objectNode();
        s.putObject("subs");
        return s;
    }

    /** Folds a status part in; the {@code CustomerChurned} to send (canonical JSON) when the account has now churned. */
    static Optional<ObjectNode> apply(ObjectNode state, EventPart part) {
        if (!part.action().equals("status") || part.value("subscriptionId") == null || part.value("status") == null
                || part.value("accountId") == null) {
            throw new io.kpipeline.schemas.event.InvalidEventException("MISSING_FIELD",
                    "a subscription part is a status with accountId, subscriptionId and status");
        }
        ObjectNode subs = (ObjectNode) state.get("subs");
        String id = part.value("subscriptionId");
        if (Latest.later(subs.get(id), part)) {
            ObjectNode slot = subs.putObject(id).put("v", part.value("status")).put("at", part.at().toString()).put("id", part.partId());
            if (part.value("endedAt") != null) {
                slot.put("endedAt", part.value("endedAt"));
            }
        }
        String lastEnded = null;
        Instant end = null;
        for (var it = subs.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode sub = e.getValue();
            String status = sub.get("v").asText();
            if (ACTIVE.contains(status)) {
                return Optional.empty();
            }
            if (status.equals("canceled")) {
                Instant ended = Instant.parse(sub.has("endedAt") ? sub.get("endedAt").asText() : sub.get("at").asText());
                if (end == null || ended.isAfter(end) || ended.equals(end) && e.getKey().compareTo(lastEnded) > 0) {
                    end = ended;
                    lastEnded = e.getKey();
                }
            }
        }
        if (end == null) {
            return Optional.empty();
        }
        String account = part.value("accountId");
        String eventId = part.origin() + ":churn:" + account + ":" + lastEnded + ":" + end.getEpochSecond();
        if (eventId.equals(state.path("churned").asText(null))) {
            return Optional.empty();
        }
        state.put("churned", eventId);
        return Optional.of(JSON.objectNode().put("eventId", eventId).put("type", "CustomerChurned").put("occurredAt", end.toString())
                .put("origin", part.origin()).put("accountId", account)
                .put("reason", "the last active subscription (" + lastEnded + ") ended"));
    }
}
