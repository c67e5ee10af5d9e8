package io.kpipeline.connectors.crm.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpipeline.connectors.crm.Canonical;
import io.kpipeline.connectors.crm.CrmSection;
import io.kpipeline.connectors.crm.JsonFields;
import io.kpipeline.connectors.crm.Translation;
import io.kpipeline.connectors.webhook.WebhookConnector;
import io.kpipeline.connectors.webhook.WebhookException;
import io.kpipeline.connectors.webhook.WebhookRequest;
import io.kpipeline.schemas.event.InvalidEventException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * {@code POST /webhooks/hubspot}: HubSpot's webhook payload, a JSON array of subscription events (contact and deal
 * creation, deletion and property changes; a company's churn property; in the generic {@code object.*} form also
 * calls, emails and meetings, which {@link HubSpotEngagements} makes touchpoint parts of), signed with
 * {@code X-HubSpot-Signature-v3}.
 *
 * <p>HubSpot sends one property per event and never the previous value, so: a deal's creation becomes a
 * {@code DealCreated} in the mapping's initial stage with amount 0 (what HubSpot holds for a deal created without
 * one) and its {@code amount} and {@code dealstage} changes, which HubSpot sends for the creation's values too,
 * follow; a move to an open stage becomes {@code DealReopened}, which reopens a closed deal and is a plain stage
 * change for an open one.
 */
public final class HubSpotWebhook implements WebhookConnector {
    static final String ORIGIN = "hubspot";
    private final HubSpotSignature signature;
    private final CrmSection mapping;
    private final HubSpotEngagements engagements;

    public HubSpotWebhook(HubSpotSignature signature, CrmSection mapping) {
        this.signature = signature;
        this.mapping = mapping;
        this.engagements = new HubSpotEngagements(mapping);
    }

    @Override
    public String name() {
        return ORIGIN;
    }

    @Override
    public void authenticate(WebhookRequest request) {
        signature.verify(request);
    }

    @Override
    public Translation translate(WebhookRequest request) {
        JsonNode root = request.json();
        if (root == null || !root.isArray()) {
            throw WebhookException.malformed("HubSpot sends a JSON array of subscription events");
        }
        Translation t = new Translation();
        for (int i = 0; i < root.size(); i++) {
            JsonNode item = root.get(i);
            try {
                translate(item, i, t);
            } catch (InvalidEventException e) {
                t.reject(i, e, item.toString());
            } catch (RuntimeException e) {
                // one unreadable item is refused with its reason; a 500 would make HubSpot retry the whole batch
                t.reject(i, "INVALID_FIELD", "HubSpot event could not be read: " + e.getMessage(), item.toString());
            }
        }
        return t;
    }

    /** One subscription event: at most one canonical event. */
    public void translate(JsonNode item, int index, Translation t) {
        String raw = item.toString();
        if (!item.isObject()) {
            throw new InvalidEventException("INVALID_JSON", "item " + index + " is not an object");
        }
        String kind = text(item, "subscriptionType");
        if (kind == null) {
            kind = required(item, "eventType");
        }
        if (kind.endsWith(".associationChange")) {
            if (!engagements.association(item, t)) {
                throw new InvalidEventException("UNMAPPED_EVENT", "HubSpot " + kind + " " + text(item, "associationType")
                        + " has no canonical event (only engagements' associations to contacts and deals are mapped)");
            }
            return;
        }
        if (kind.startsWith("object.")) {
            // the generic subscriptions name the object by its type id: contacts, deals and companies read as their
            // legacy subscriptions do, engagements become parts of touchpoints
            String typeId = required(item, "objectTypeId");
            String action = kind.substring("object.".length());
            if (engagements.isEngagement(typeId)) {
                engagements.object(item, action, typeId, t);
                return;
            }
            String object = switch (typeId) {
                case HubSpotEngagements.CONTACT -> "contact";
                case HubSpotEngagements.DEAL -> "deal";
                case HubSpotEngagements.COMPANY -> "company";
                default -> throw new InvalidEventException("UNMAPPED_EVENT", "HubSpot " + kind + " of objectTypeId " + typeId + " has no canonical event");
            };
            kind = object + "." + action;
        }
        String objectId = required(item, "objectId");
        Instant at = epochMillis(required(item, "occurredAt"), "occurredAt");
        // HubSpot's eventId alone is not guaranteed unique; with the object and property it names one change, and a
        // retried delivery repeats all of them.
        String eventId = "hubspot:" + text(item, "portalId") + ":" + kind + ":" + objectId + ":"
                + (text(item, "propertyName") == null ? "" : text(item, "propertyName") + ":") + required(item, "eventId");
        String property = text(item, "propertyName");
        String value = text(item, "propertyValue");
        switch (kind) {
            case "contact.creation" -> t.add(Canonical.event(eventId, "LeadCreated", at, ORIGIN).with("leadId", objectId).json(), index, raw);
            case "contact.deletion" -> t.add(Canonical.event(eventId, "LeadDisqualified", at, ORIGIN).with("leadId", objectId)
                    .with("reason", "deleted in HubSpot").json(), index, raw);
            case "contact.propertyChange" -> contactProperty(eventId, at, objectId, required(item, "propertyName"), value, index, raw, t);
            case "deal.creation" -> t.add(Canonical.event(eventId, "DealCreated", at, ORIGIN).with("dealId", objectId)
                    .with("stage", initialStage()).with("amount", "0").with("currency", mapping.currency()).json(), index, raw);
            case "deal.propertyChange" -> dealProperty(eventId, at, objectId, required(item, "propertyName"), value, index, raw, t);
            case "company.propertyChange" -> companyProperty(eventId, at, objectId, required(item, "propertyName"), value, index, raw, t);
            case "company.creation", "company.deletion" -> t.ignore(); // an account is known from its deals; churn is a property
            default -> throw new InvalidEventException("UNMAPPED_EVENT", "HubSpot " + kind + " has no canonical event"
                    + (property == null ? "" : " (property " + property + ")"));
        }
    }

    private void contactProperty(String eventId, Instant at, String leadId, String property, String value, int index, String raw, Translation t) {
        switch (property) {
            case "hubspot_owner_id" -> {
                if (value == null) {
                    t.ignore(); // unassigned: the contract has no unassignment, the last rep keeps the lead
                    return;
                }
                t.add(Canonical.event(eventId, "LeadAssigned", at, ORIGIN).with("leadId", leadId).owner(mapping.owner(value)).json(), index, raw);
            }
            case "lifecyclestage", "hs_lead_status" -> {
                if (value == null) {
                    t.ignore();
                    return;
                }
                CrmSection.Qualification q = mapping.qualification(value);
                if (q == null) {
                    throw new InvalidEventException("UNMAPPED_STAGE", "HubSpot " + property + " '" + value
                            + "' is not in the mapping's qualification list");
                }
                switch (q) {
                    case MQL, SQL -> t.add(Canonical.event(eventId, "LeadQualified", at, ORIGIN).with("leadId", leadId)
                            .with("level", q.name()).json(), index, raw);
                    case DISQUALIFIED -> t.add(Canonical.event(eventId, "LeadDisqualified", at, ORIGIN).with("leadId", leadId)
                            .with("reason", property + "=" + value).json(), index, raw);
                    case IGNORE -> t.ignore();
                }
            }
            default -> throw new InvalidEventException("UNMAPPED_FIELD", "HubSpot contact property '" + property + "' has no canonical meaning");
        }
    }

    /** A company whose churn property (mapping {@code churn-property}) takes a churn value has churned. */
    private void companyProperty(String eventId, Instant at, String accountId, String property, String value, int index, String raw, Translation t) {
        if (!property.equals(mapping.churnProperty())) {
            throw new InvalidEventException("UNMAPPED_FIELD", "HubSpot company property '" + property + "' has no canonical meaning"
                    + (mapping.churnProperty() == null ? "" : " (churn is read from " + mapping.churnProperty() + ")"));
        }
        if (!mapping.isChurn(value)) {
            t.ignore(); // any other stage: not a churn (a customer again only by a won deal, as the contract says)
            return;
        }
        t.add(Canonical.event(eventId, "CustomerChurned", at, ORIGIN).with("accountId", accountId)
                .with("reason", property + "=" + value).json(), index, raw);
    }

    private void dealProperty(String eventId, Instant at, String dealId, String property, String value, int index, String raw, Translation t) {
        Canonical update = Canonical.event(eventId, "DealUpdated", at, ORIGIN).with("dealId", dealId);
        switch (property) {
            case "dealstage" -> {
                if (mapping.isWon(value) || mapping.isLost(value)) {
                    t.add(Canonical.event(eventId, "DealClosed", at, ORIGIN).with("dealId", dealId)
                            .with("outcome", mapping.isWon(value) ? "WON" : "LOST").json(), index, raw);
                } else if (mapping.stage(value) != null) {
                    t.add(Canonical.event(eventId, "DealReopened", at, ORIGIN).with("dealId", dealId).with("stage", mapping.stage(value)).json(), index, raw);
                } else {
                    throw new InvalidEventException("UNMAPPED_STAGE", "HubSpot dealstage '" + value + "' is not in the mapping (stages, won-stages, lost-stages)");
                }
            }
            case "amount" -> t.add(update.with("amount", value == null ? "0" : value).json(), index, raw);
            case "deal_currency_code" -> {
                if (value == null) {
                    t.ignore();
                } else {
                    t.add(update.with("currency", value).json(), index, raw);
                }
            }
            case "hubspot_owner_id" -> {
                if (value == null) {
                    t.ignore();
                } else {
                    t.add(update.owner(mapping.owner(value)).json(), index, raw);
                }
            }
            case "closedate" -> {
                if (value == null) {
                    t.ignore();
                } else {
                    LocalDate day = LocalDate.ofInstant(epochMillis(value, "closedate"), ZoneOffset.UTC);
                    t.add(update.with("expectedCloseDate", day.toString()).json(), index, raw);
                }
            }
            case "dealtype" -> {
                String type = mapping.dealType(value);
                if (type == null) {
                    throw new InvalidEventException("UNMAPPED_FIELD", "HubSpot dealtype '" + value + "' is not in the mapping's deal-types");
                }
                t.add(update.with("dealType", type).json(), index, raw);
            }
            default -> throw new InvalidEventException("UNMAPPED_FIELD", "HubSpot deal property '" + property + "' has no canonical meaning");
        }
    }

    private String initialStage() {
        String stage = mapping.stage(mapping.initialStage());
        return stage != null ? stage : mapping.initialStage();
    }

    static String text(JsonNode item, String field) {
        return JsonFields.text(item, field);
    }

    static String required(JsonNode item, String field) {
        return JsonFields.required(item, field, "HubSpot event");
    }

    /** HubSpot times are epoch milliseconds (as numbers, or as strings for date properties). */
    static Instant epochMillis(String text, String field) {
        try {
            return Instant.ofEpochMilli(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            throw new InvalidEventException("INVALID_FIELD", "HubSpot " + field + " is not epoch milliseconds: '" + text + "'");
        }
    }
}
