package io.kpipeline.connectors.crm.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpipeline.connectors.crm.CrmSection;
import io.kpipeline.connectors.crm.Translation;
import io.kpipeline.schemas.event.InvalidEventException;
import io.kpipeline.schemas.part.EventPart;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HubSpot's calls, emails and meetings (generic webhook subscriptions: {@code object.creation},
 * {@code object.propertyChange}, {@code object.associationChange}, {@code object.deletion}, {@code object.restore}
 * with the engagement's {@code objectTypeId}) as parts of a touchpoint. HubSpot sends a creation, each property and
 * each association as separate events, in separate deliveries, in any order, so no single one is a touchpoint: each
 * becomes a part keyed by the engagement, and the engine's assembly makes the {@code TouchpointLogged} once the
 * creation, the engagement's own time ({@code hs_timestamp}), its direction where the channel has one, and an
 * association to a contact or deal have arrived.
 *
 * <p>Mapped: the channel from the object type (mapping {@code channels}), {@code hs_timestamp},
 * {@code hs_call_direction} / {@code hs_email_direction} ({@code directions}), {@code hs_call_disposition} /
 * {@code hs_meeting_outcome} ({@code outcomes}), {@code hubspot_owner_id} ({@code owners}), associations to contacts
 * (the lead) and deals. Associations to companies and other objects say nothing about a touchpoint and are ignored;
 * any other property is a dead letter naming it, as for contacts and deals.
 */
final class HubSpotEngagements {
    static final String CONTACT = "0-1", COMPANY = "0-2", DEAL = "0-3", MEETING = "0-47", CALL = "0-48", EMAIL = "0-49";
    /** The object type ids of HubSpot's standard objects, for association types given by name (CALL_TO_CONTACT). */
    private static final Map<String, String> TYPE_IDS = Map.of("CONTACT", CONTACT, "COMPANY", COMPANY, "DEAL", DEAL,
            "MEETING_EVENT", MEETING, "MEETING", MEETING, "CALL", CALL, "EMAIL", EMAIL);
    private static final Map<String, String> TYPE_NAMES = Map.of(MEETING, "meeting", CALL, "call", EMAIL, "email");

    private final CrmSection mapping;

    HubSpotEngagements(CrmSection mapping) {
        this.mapping = mapping;
    }

    /** Whether objects of this type are engagements the mapping makes touchpoints of. */
    boolean isEngagement(String objectTypeId) {
        return objectTypeId != null && mapping.channel(objectTypeId) != null;
    }

    /** A creation, property change, deletion or restore of an engagement: one part. */
    void object(JsonNode item, String action, String objectTypeId, Translation t) {
        String objectId = HubSpotWebhook.required(item, "objectId");
        Instant at = HubSpotWebhook.epochMillis(HubSpotWebhook.required(item, "occurredAt"), "occurredAt");
        String partId = partId(item, action, objectId);
        Map<String, String> values = new LinkedHashMap<>();
        String partAction;
        switch (action) {
            case "creation" -> {
                partAction = "created";
                values.put("channel", mapping.channel(objectTypeId));
                values.put("touchpointId", touchpointId(objectTypeId, objectId));
                values.put("requires", directionProperty(objectTypeId) == null ? "occurredAt" : "occurredAt,direction");
            }
            case "deletion" -> partAction = "deleted";
            case "restore" -> partAction = "restored";
            case "propertyChange" -> {
                partAction = "set";
                property(objectTypeId, HubSpotWebhook.required(item, "propertyName"), HubSpotWebhook.text(item, "propertyValue"), values);
            }
            default -> throw new InvalidEventException("UNMAPPED_EVENT", "HubSpot " + name(objectTypeId) + " object." + action
                    + " has no meaning for a touchpoint");
        }
        t.part(new EventPart(EventPart.Kind.TOUCHPOINT, key(item, objectTypeId, objectId), partId, at, HubSpotWebhook.ORIGIN,
                partAction, values, item.toString()));
    }

    private void property(String typeId, String property, String value, Map<String, String> values) {
        String kind = name(typeId);
        if (property.equals("hs_timestamp")) {
            if (value == null || value.isBlank()) {
                throw new InvalidEventException("MISSING_FIELD", "HubSpot " + kind + " hs_timestamp has no value");
            }
            values.put("occurredAt", timestamp(value).toString());
        } else if (property.equals(directionProperty(typeId))) {
            String direction = mapping.direction(value);
            if (direction == null) {
                throw new InvalidEventException("UNMAPPED_FIELD", "HubSpot " + kind + " " + property + " '" + value
                        + "' is not in the mapping's directions");
            }
            values.put("direction", direction);
        } else if (property.equals(outcomeProperty(typeId))) {
            String outcome = value == null || value.isBlank() ? "NONE" : mapping.outcome(value);
            if (outcome == null) {
                throw new InvalidEventException("UNMAPPED_FIELD", "HubSpot " + kind + " " + property + " '" + value
                        + "' is not in the mapping's outcomes");
            }
            values.put("outcome", outcome);
        } else if (property.equals("hubspot_owner_id")) {
            CrmSection.Owner owner = mapping.owner(value);
            // empty: the engagement no longer has an owner, so the touchpoint has no rep
            values.put("repId", owner == null ? "" : owner.rep());
            values.put("teamId", owner == null || owner.team() == null ? "" : owner.team());
        } else {
            throw new InvalidEventException("UNMAPPED_FIELD", "HubSpot " + kind + " property '" + property + "' has no canonical meaning");
        }
    }

    /**
     * An association between an engagement and a contact or deal: a link part (or an unlink, when removed). Returns
     * false when neither side is an engagement the mapping knows, for the caller to treat as it treats others.
     */
    boolean association(JsonNode item, Translation t) {
        String name = HubSpotWebhook.text(item, "associationType");
        String[] sides = name == null ? new String[0] : name.split("_TO_", 2);
        String fromType = typeId(HubSpotWebhook.text(item, "fromObjectTypeId"), sides.length == 2 ? sides[0] : null);
        String toType = typeId(HubSpotWebhook.text(item, "toObjectTypeId"), sides.length == 2 ? sides[1] : null);
        boolean fromEngagement = isEngagement(fromType);
        if (!fromEngagement && !isEngagement(toType)) {
            return false;
        }
        String engagementType = fromEngagement ? fromType : toType, otherType = fromEngagement ? toType : fromType;
        String engagementId = HubSpotWebhook.required(item, fromEngagement ? "fromObjectId" : "toObjectId");
        String otherId = HubSpotWebhook.required(item, fromEngagement ? "toObjectId" : "fromObjectId");
        String field = CONTACT.equals(otherType) ? "leadId" : DEAL.equals(otherType) ? "dealId" : null;
        if (field == null) {
            t.ignore(); // a company or another object: the touchpoint is the contact's or the deal's
            return true;
        }
        boolean removed = item.path("associationRemoved").asBoolean(false);
        Instant at = HubSpotWebhook.epochMillis(HubSpotWebhook.required(item, "occurredAt"), "occurredAt");
        t.part(new EventPart(EventPart.Kind.TOUCHPOINT, key(item, engagementType, engagementId),
                partId(item, "association:" + field + ":" + otherId, engagementId), at, HubSpotWebhook.ORIGIN,
                removed ? "unlinked" : "linked", Map.of(field, otherId), item.toString()));
        return true;
    }

    private static String typeId(String given, String associationSide) {
        if (given != null) {
            return given;
        }
        return associationSide == null ? null : TYPE_IDS.get(associationSide);
    }

    private static String directionProperty(String typeId) {
        return switch (typeId) {
            case CALL -> "hs_call_direction";
            case EMAIL -> "hs_email_direction";
            default -> null;
        };
    }

    private static String outcomeProperty(String typeId) {
        return switch (typeId) {
            case CALL -> "hs_call_disposition";
            case MEETING -> "hs_meeting_outcome";
            default -> null;
        };
    }

    static String name(String typeId) {
        return TYPE_NAMES.getOrDefault(typeId, "object " + typeId);
    }

    /** The touchpoint's id: the engagement's, stable whichever part makes it. */
    static String touchpointId(String typeId, String objectId) {
        return "hubspot:" + name(typeId).replace(' ', '-') + ":" + objectId;
    }

    private static String key(JsonNode item, String typeId, String objectId) {
        return "hubspot:" + HubSpotWebhook.text(item, "portalId") + ":" + typeId + ":" + objectId;
    }

    /** HubSpot retries an event with the same eventId; with the object and what changed, it names the part. */
    private static String partId(JsonNode item, String what, String objectId) {
        String property = HubSpotWebhook.text(item, "propertyName");
        return "hubspot:" + HubSpotWebhook.text(item, "portalId") + ":" + HubSpotWebhook.text(item, "subscriptionType") + ":" + objectId + ":"
                + what + (property == null ? "" : ":" + property) + ":" + HubSpotWebhook.required(item, "eventId");
    }

    /** {@code hs_timestamp} as HubSpot sends date-time properties: epoch milliseconds, or an ISO instant. */
    private static Instant timestamp(String value) {
        String v = value.trim();
        if (v.chars().allMatch(Character::isDigit)) {
            return HubSpotWebhook.epochMillis(v, "hs_timestamp");
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("INVALID_FIELD", "HubSpot hs_timestamp is neither epoch milliseconds nor an ISO instant: '" + value + "'");
        }
    }
}
