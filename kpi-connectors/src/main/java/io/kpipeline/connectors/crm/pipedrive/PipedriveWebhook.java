package io.kpipeline.connectors.crm.pipedrive;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpipeline.connectors.crm.Canonical;
import io.kpipeline.connectors.crm.CrmSection;
import io.kpipeline.connectors.crm.JsonFields;
import io.kpipeline.connectors.crm.Translation;
import io.kpipeline.connectors.webhook.Secrets;
import io.kpipeline.connectors.webhook.WebhookConnector;
import io.kpipeline.connectors.webhook.WebhookException;
import io.kpipeline.connectors.webhook.WebhookRequest;
import io.kpipeline.schemas.event.InvalidEventException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * {@code POST /webhooks/pipedrive}: Pipedrive's webhooks v2 ({@code meta}, {@code data}, {@code previous}) for deals,
 * leads, persons and activities, protected by the HTTP basic auth set on the webhook in Pipedrive.
 *
 * <p>A v2 {@code change} carries the fields that changed in {@code previous}, so a stage move, a status change
 * (won, lost, reopened) and an edit of value, currency, owner or expected close date each become their own
 * canonical event, identified by the delivery's {@code meta.id} and the field: a retried delivery repeats them all
 * and changes nothing.
 */
public final class PipedriveWebhook implements WebhookConnector {
    static final String ORIGIN = "pipedrive";
    private final String user;
    private final String password;
    private final CrmSection mapping;

    public PipedriveWebhook(String user, String password, CrmSection mapping) {
        this.user = user;
        this.password = password;
        this.mapping = mapping;
    }

    @Override
    public String name() {
        return ORIGIN;
    }

    @Override
    public void authenticate(WebhookRequest request) {
        String auth = request.header("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw WebhookException.unauthorized("missing HTTP basic credentials");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw WebhookException.unauthorized("HTTP basic credentials are not Base64");
        }
        if (!Secrets.equal(decoded, user + ":" + password)) {
            throw WebhookException.unauthorized("wrong user or password");
        }
    }

    @Override
    public Translation translate(WebhookRequest request) {
        JsonNode root = request.json();
        if (root == null || !root.isObject() || !root.path("meta").isObject()) {
            throw WebhookException.malformed("a Pipedrive webhook is a JSON object with 'meta' and 'data'");
        }
        if (root.has("current") || !root.path("meta").has("entity")) {
            throw WebhookException.malformed("this is a Pipedrive webhooks v1 payload; create the webhook with version 2.0");
        }
        Translation t = new Translation();
        try {
            new Delivery(root, mapping, t).translate();
        } catch (InvalidEventException e) {
            t.reject(0, e, root.toString());
        } catch (RuntimeException e) {
            t.reject(0, "INVALID_FIELD", "Pipedrive webhook could not be read: " + e.getMessage(), root.toString());
        }
        return t;
    }

    /** One delivery's translation; {@code previous} names what a change changed. */
    private static final class Delivery {
        private final JsonNode data;
        private final JsonNode previous;
        private final CrmSection mapping;
        private final Translation t;
        private final String raw;
        private final String action;
        private final String entity;
        private final String id;
        private final String deliveryId;
        private final Instant at;

        Delivery(JsonNode root, CrmSection mapping, Translation t) {
            JsonNode meta = root.get("meta");
            this.data = root.path("data");
            this.previous = root.path("previous");
            this.mapping = mapping;
            this.t = t;
            this.raw = root.toString();
            this.action = required(meta, "action");
            this.entity = required(meta, "entity");
            this.id = text(meta, "entity_id") != null ? text(meta, "entity_id") : required(data, "id");
            this.deliveryId = required(meta, "id");
            this.at = instant(firstText(data, "create".equals(action) ? "add_time" : "update_time", meta, "timestamp"));
        }

        void translate() {
            switch (entity + "." + action) {
                case "deal.create" -> dealCreated();
                case "deal.change" -> dealChanged();
                case "lead.create" -> leadCreated(text(data, "source_name"));
                case "lead.change" -> leadChanged();
                case "person.create" -> {
                    if (mapping.personsAsLeads()) {
                        leadCreated(null);
                    } else {
                        t.ignore();
                    }
                }
                case "person.change" -> {
                    if (mapping.personsAsLeads() && changed("owner_id")) {
                        add(event("owner", "LeadAssigned").with("leadId", id).owner(mapping.owner(text(data, "owner_id"))));
                    } else {
                        t.ignore();
                    }
                }
                case "activity.create", "activity.change" -> activity();
                default -> throw new InvalidEventException("UNMAPPED_EVENT", "Pipedrive " + action + " of a " + entity
                        + " has no canonical event (the contract has no deletions; close or disqualify instead)");
            }
        }

        private void dealCreated() {
            String status = required(data, "status");
            String stage = openStage(required(data, "stage_id"));
            add(event("created", "DealCreated").with("dealId", id).with("stage", stage)
                    .with("amount", data.path("value").isMissingNode() || data.path("value").isNull() ? "0" : data.get("value").asText())
                    .with("currency", currency()).with("accountId", text(data, "org_id")).with("expectedCloseDate", text(data, "expected_close_date"))
                    .owner(mapping.owner(text(data, "owner_id"))));
            if (!"open".equals(status)) {
                closed(status);
            }
        }

        private void dealChanged() {
            if (!previous.isObject()) {
                throw new InvalidEventException("MISSING_FIELD", "Pipedrive deal change without 'previous'");
            }
            boolean any = false;
            Canonical update = event("updated", "DealUpdated").with("dealId", id);
            if (changed("value")) {
                update.with("amount", data.path("value").isNull() ? "0" : data.get("value").asText());
                any = true;
            }
            if (changed("currency")) {
                update.with("currency", text(data, "currency"));
                any = true;
            }
            if (changed("owner_id")) {
                update.owner(mapping.owner(text(data, "owner_id")));
                any = true;
            }
            if (changed("expected_close_date")) {
                update.with("expectedCloseDate", text(data, "expected_close_date"));
                any = true;
            }
            if (any) {
                add(update);
            }
            String status = required(data, "status");
            String before = text(previous, "status");
            if (changed("status") && "open".equals(status)) {
                add(event("reopened", "DealReopened").with("dealId", id).with("stage", openStage(required(data, "stage_id"))));
                any = true;
            } else if (changed("stage_id") && "open".equals(status)) {
                add(event("stage", "DealStageChanged").with("dealId", id).with("toStage", openStage(required(data, "stage_id")))
                        .with("fromStage", mapping.stage(text(previous, "stage_id"))));
                any = true;
            }
            if (changed("status") && !"open".equals(status) && ("open".equals(before) || before == null)) {
                closed(status);
                any = true;
            }
            if (!any) {
                t.ignore(); // a title, label or custom field: nothing the KPIs use
            }
        }

        private void closed(String status) {
            switch (status) {
                case "won" -> add(event("closed", "DealClosed").with("dealId", id).with("outcome", "WON"),
                        firstText(data, "won_time", data, "close_time"));
                case "lost" -> add(event("closed", "DealClosed").with("dealId", id).with("outcome", "LOST")
                        .with("lostReason", text(data, "lost_reason")), firstText(data, "lost_time", data, "close_time"));
                default -> throw new InvalidEventException("UNMAPPED_STAGE", "Pipedrive deal status '" + status + "' is not open, won or lost");
            }
        }

        private void leadCreated(String source) {
            add(event("created", "LeadCreated").with("leadId", id).owner(mapping.owner(text(data, "owner_id")))
                    .with("source", mapping.source(source)));
        }

        private void leadChanged() {
            boolean any = false;
            if (changed("owner_id") && text(data, "owner_id") != null) {
                add(event("owner", "LeadAssigned").with("leadId", id).owner(mapping.owner(text(data, "owner_id"))));
                any = true;
            }
            if (changed("is_archived") && data.path("is_archived").asBoolean(false)) {
                add(event("archived", "LeadDisqualified").with("leadId", id).with("reason", "archived in Pipedrive"));
                any = true;
            }
            if (!any) {
                t.ignore();
            }
        }

        /** A done activity on a lead or a deal is a touchpoint; a planned one is not a contact yet. */
        private void activity() {
            boolean done = data.path("done").asBoolean(false);
            if (!done || ("change".equals(action) && !changed("done"))) {
                t.ignore();
                return;
            }
            String type = required(data, "type");
            String channel = mapping.channel(type);
            if (channel == null) {
                throw new InvalidEventException("UNMAPPED_FIELD", "Pipedrive activity type '" + type + "' is not in the mapping's channels");
            }
            String leadId = text(data, "lead_id"), dealId = text(data, "deal_id");
            if (leadId == null && dealId == null) {
                throw new InvalidEventException("MISSING_FIELD", "Pipedrive activity " + id + " is on neither a lead nor a deal");
            }
            Instant doneAt = instant(firstText(data, "marked_as_done_time", data, "update_time"));
            t.add(Canonical.event("pipedrive:activity:" + id + ":done", "TouchpointLogged", doneAt, ORIGIN)
                    .with("touchpointId", id).with("leadId", leadId).with("dealId", leadId == null ? dealId : null)
                    .owner(mapping.owner(firstText(data, "owner_id", data, "user_id"))).with("channel", channel).json(), 0, raw);
        }

        private String openStage(String stageId) {
            String stage = mapping.stage(stageId);
            if (stage == null) {
                throw new InvalidEventException("UNMAPPED_STAGE", "Pipedrive stage_id " + stageId + " is not in the mapping's stages");
            }
            return stage;
        }

        private String currency() {
            String c = text(data, "currency");
            return c != null ? c : mapping.currency();
        }

        /** Whether a change changed this field: v2's {@code previous} holds the old value of each changed field. */
        private boolean changed(String field) {
            return previous.isObject() && previous.has(field);
        }

        private Canonical event(String what, String type) {
            return Canonical.event("pipedrive:" + deliveryId + ":" + what, type, at, ORIGIN);
        }

        private void add(Canonical event) {
            t.add(event.json(), 0, raw);
        }

        private void add(Canonical event, String at) {
            if (at != null) {
                event.json().put("occurredAt", instant(at).toString());
            }
            add(event);
        }

        private static String firstText(JsonNode a, String fa, JsonNode b, String fb) {
            String v = text(a, fa);
            return v != null ? v : text(b, fb);
        }
    }

    static String text(JsonNode node, String field) {
        return JsonFields.text(node, field);
    }

    static String required(JsonNode node, String field) {
        return JsonFields.required(node, field, "Pipedrive payload");
    }

    /** Pipedrive writes instants as ISO-8601 ({@code 2024-09-27T14:25:27Z}), as "yyyy-mm-dd hh:mm:ss" UTC, or epoch seconds. */
    static Instant instant(String text) {
        if (text == null) {
            throw new InvalidEventException("MISSING_FIELD", "Pipedrive payload without a time (add_time, update_time or meta.timestamp)");
        }
        try {
            if (text.matches("\\d{9,11}")) {
                return Instant.ofEpochSecond(Long.parseLong(text));
            }
            if (text.matches("\\d{12,14}")) {
                return Instant.ofEpochMilli(Long.parseLong(text));
            }
            String iso = text.contains("T") ? text : text.replace(' ', 'T') + "Z";
            return Instant.parse(iso);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new InvalidEventException("INVALID_FIELD", "Pipedrive time '" + text + "' is not an instant");
        }
    }
}
