package io.kpipeline.connectors.crm.salesforce;

import io.kpipeline.connectors.crm.Canonical;
import io.kpipeline.connectors.crm.CrmSection;
import io.kpipeline.connectors.crm.Translation;
import io.kpipeline.connectors.webhook.WebhookConnector;
import io.kpipeline.connectors.webhook.WebhookException;
import io.kpipeline.connectors.webhook.WebhookRequest;
import io.kpipeline.schemas.event.InvalidEventException;
import org.w3c.dom.Element;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@code POST /webhooks/salesforce}: Salesforce outbound messages (SOAP {@code notifications} of Lead, Opportunity,
 * Task and Account records; an Account whose churn field has a churn value is a {@code CustomerChurned}), accepted only from the configured organization and answered with the {@code Ack} Salesforce
 * waits for, once the events are durable.
 *
 * <p>An outbound message is a snapshot of the record's selected fields, not a change. Each snapshot therefore
 * becomes events whose ids make repeats harmless: the record's creation (id from the record, so only the first
 * snapshot creates it), its current values as of {@code LastModifiedDate} (id from the notification, which
 * Salesforce keeps across retries), and one-time transitions (qualified, converted, closed) with ids from the
 * record and the transition. A snapshot in an open stage becomes {@code DealReopened}, a stage change for an open
 * deal and a reopening for a closed one.
 */
public final class SalesforceWebhook implements WebhookConnector {
    static final String ORIGIN = "salesforce";
    private static final String ACK = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
            + "<notificationsResponse xmlns=\"http://soap.sforce.com/2005/09/outbound\"><Ack>true</Ack></notificationsResponse>"
            + "</soapenv:Body></soapenv:Envelope>";
    private final String organizationId;
    private final CrmSection mapping;

    /**
     * @param organizationId the org's id, 15 or 18 characters (Salesforce sends 18; the first 15 identify it); null
     *                       only where something else authenticated the message (the Connect transform's source)
     */
    public SalesforceWebhook(String organizationId, CrmSection mapping) {
        this.organizationId = organizationId == null ? null : organizationId.trim();
        this.mapping = mapping;
    }

    @Override
    public String name() {
        return ORIGIN;
    }

    /** The organization id is inside the SOAP body: {@link #translate} checks it first, before anything is translated. */
    @Override
    public void authenticate(WebhookRequest request) {
    }

    @Override
    public Translation translate(WebhookRequest request) {
        OutboundMessage message = OutboundMessage.parse(request.body());
        String org = message.organizationId();
        if (organizationId != null && (org == null || org.length() < 15 || organizationId.length() < 15
                || !org.substring(0, 15).equals(organizationId.substring(0, 15)))) {
            throw WebhookException.unauthorized("outbound message from organization '" + org + "', not the configured one");
        }
        Translation t = new Translation();
        List<OutboundMessage.Notification> notifications = message.notifications();
        for (int i = 0; i < notifications.size(); i++) {
            OutboundMessage.Notification n = notifications.get(i);
            try {
                switch (n.objectType()) {
                    case "Opportunity" -> opportunity(n, i, t);
                    case "Lead" -> lead(n, i, t);
                    case "Task" -> task(n, i, t);
                    case "Account" -> account(n, i, t);
                    default -> throw new InvalidEventException("UNMAPPED_EVENT", "Salesforce " + n.objectType() + " records have no canonical event");
                }
            } catch (InvalidEventException e) {
                t.reject(i, e, n.raw());
            } catch (RuntimeException e) {
                // never a 500 for one bad notification: Salesforce would retry the whole message, holding back the rest
                t.reject(i, "INVALID_FIELD", "Salesforce " + n.objectType() + " notification could not be read: " + e.getMessage(), n.raw());
            }
        }
        return t;
    }

    @Override
    public Reply accepted(Translation t) {
        return new Reply(200, "text/xml; charset=utf-8", ACK);
    }

    private void opportunity(OutboundMessage.Notification n, int i, Translation t) {
        String id = n.required("Id");
        String stageName = n.required("StageName");
        boolean closed = n.field("IsClosed") != null ? Boolean.parseBoolean(n.field("IsClosed")) : mapping.isWon(stageName) || mapping.isLost(stageName);
        boolean won = n.field("IsWon") != null ? Boolean.parseBoolean(n.field("IsWon")) : mapping.isWon(stageName);
        String openStage = mapping.stage(stageName);
        if (!closed && openStage == null) {
            throw new InvalidEventException("UNMAPPED_STAGE", "Salesforce StageName '" + stageName + "' is not in the mapping's stages");
        }
        Instant modified = instant(n.required("LastModifiedDate"));
        Instant created = n.field("CreatedDate") != null ? instant(n.field("CreatedDate")) : modified;
        String amount = n.field("Amount") != null ? n.field("Amount") : "0";
        String currency = n.field("CurrencyIsoCode") != null ? n.field("CurrencyIsoCode") : mapping.currency();
        String dealType = dealType(n.field("Type"));
        CrmSection.Owner owner = mapping.owner(n.field("OwnerId"));
        t.add(Canonical.event("salesforce:opportunity:" + id + ":created", "DealCreated", created, ORIGIN).with("dealId", id)
                .with("accountId", n.field("AccountId")).owner(owner).with("stage", openStage != null ? openStage : stageName)
                .with("amount", amount).with("currency", currency).with("dealType", dealType).with("expectedCloseDate", n.field("CloseDate")).json(), i, n.raw());
        t.add(Canonical.event("salesforce:" + n.id() + ":values", "DealUpdated", modified, ORIGIN).with("dealId", id).owner(owner)
                .with("amount", amount).with("currency", currency).with("dealType", dealType).with("expectedCloseDate", n.field("CloseDate")).json(), i, n.raw());
        if (closed) {
            String outcome = won ? "WON" : "LOST";
            // One close per stage change into the closed stage: later edits of a closed deal (an amount fixed) repeat its
            // LastStageChangeDate and so its id (a duplicate), while a close after a reopen is a new stage change, a new
            // close. Without that field in the outbound message, the close date stands in (a re-close on the same
            // date is then taken for the first).
            String stageChanged = n.field("LastStageChangeDate");
            Instant closedAt = stageChanged != null ? instant(stageChanged) : modified;
            t.add(Canonical.event("salesforce:opportunity:" + id + ":closed:" + outcome + ":" + (stageChanged != null ? stageChanged : n.field("CloseDate")),
                            "DealClosed", closedAt, ORIGIN).with("dealId", id).with("outcome", outcome).json(), i, n.raw());
        } else {
            t.add(Canonical.event("salesforce:" + n.id() + ":stage", "DealReopened", modified, ORIGIN).with("dealId", id)
                    .with("stage", openStage).json(), i, n.raw());
        }
    }

    private void lead(OutboundMessage.Notification n, int i, Translation t) {
        String id = n.required("Id");
        Instant modified = instant(n.required("LastModifiedDate"));
        Instant created = n.field("CreatedDate") != null ? instant(n.field("CreatedDate")) : modified;
        CrmSection.Owner owner = mapping.owner(n.field("OwnerId"));
        t.add(Canonical.event("salesforce:lead:" + id + ":created", "LeadCreated", created, ORIGIN).with("leadId", id).owner(owner)
                .with("source", mapping.source(n.field("LeadSource"))).with("region", n.field("Country")).with("segment", n.field("Industry")).json(), i, n.raw());
        if (owner != null) {
            t.add(Canonical.event("salesforce:" + n.id() + ":owner", "LeadAssigned", modified, ORIGIN).with("leadId", id).owner(owner).json(), i, n.raw());
        }
        String status = n.field("Status");
        if (status != null) {
            CrmSection.Qualification q = mapping.qualification(status);
            if (q == null) {
                t.reject(i, "UNMAPPED_STAGE", "Salesforce Lead Status '" + status + "' is not in the mapping's qualification list", n.raw());
            } else if (q == CrmSection.Qualification.MQL || q == CrmSection.Qualification.SQL) {
                t.add(Canonical.event("salesforce:lead:" + id + ":qualified:" + q, "LeadQualified", modified, ORIGIN).with("leadId", id)
                        .with("level", q.name()).json(), i, n.raw());
            } else if (q == CrmSection.Qualification.DISQUALIFIED) {
                t.add(Canonical.event("salesforce:lead:" + id + ":disqualified", "LeadDisqualified", modified, ORIGIN).with("leadId", id)
                        .with("reason", status).json(), i, n.raw());
            }
        }
        if (Boolean.parseBoolean(n.field("IsConverted")) && n.field("ConvertedOpportunityId") != null) {
            Instant convertedAt = n.field("ConvertedDate") != null ? date("ConvertedDate", n.field("ConvertedDate")).atStartOfDay(ZoneOffset.UTC).toInstant() : modified;
            t.add(Canonical.event("salesforce:lead:" + id + ":converted", "LeadConverted", convertedAt.isBefore(created) ? created : convertedAt, ORIGIN)
                    .with("leadId", id).with("dealId", n.field("ConvertedOpportunityId")).with("accountId", n.field("ConvertedAccountId")).json(), i, n.raw());
        }
    }

    /**
     * An Account snapshot whose field {@code churn-property} has one of {@code churn-values} has churned, as of its
     * {@code LastModifiedDate}; any other snapshot says nothing a KPI uses. The id is the snapshot's, so a retry is a
     * duplicate, and a later snapshot still churned is a churn of an account that is no longer a customer (ignored).
     */
    private void account(OutboundMessage.Notification n, int i, Translation t) {
        String property = mapping.churnProperty();
        if (property == null) {
            throw new InvalidEventException("UNMAPPED_EVENT", "Salesforce Account records have no canonical event (no churn-property in the mapping)");
        }
        String id = n.required("Id");
        if (!mapping.isChurn(n.field(property))) {
            t.ignore();
            return;
        }
        Instant modified = instant(n.required("LastModifiedDate"));
        t.add(Canonical.event("salesforce:account:" + id + ":churned:" + n.id(), "CustomerChurned", modified, ORIGIN).with("accountId", id)
                .with("reason", property + "=" + n.field(property)).json(), i, n.raw());
    }

    /** A completed Task on a lead (WhoId 00Q…) or an opportunity (WhatId 006…) is a touchpoint. */
    private void task(OutboundMessage.Notification n, int i, Translation t) {
        String id = n.required("Id");
        if (n.field("Status") != null && !mapping.isDone(n.field("Status"))) {
            t.ignore();
            return;
        }
        String kind = n.field("TaskSubtype") != null ? n.field("TaskSubtype") : n.field("Type");
        String channel = mapping.channel(kind);
        if (channel == null) {
            throw new InvalidEventException("UNMAPPED_FIELD", "Salesforce Task type '" + kind + "' is not in the mapping's channels");
        }
        String who = n.field("WhoId"), what = n.field("WhatId");
        String leadId = who != null && who.startsWith("00Q") ? who : null;
        String dealId = what != null && what.startsWith("006") ? what : null;
        if (leadId == null && dealId == null) {
            throw new InvalidEventException("MISSING_FIELD", "Salesforce Task " + id + " is on neither a Lead (WhoId 00Q…) nor an Opportunity (WhatId 006…)");
        }
        Instant at = instant(n.field("CompletedDateTime") != null ? n.field("CompletedDateTime") : n.required("CreatedDate"));
        t.add(Canonical.event("salesforce:task:" + id, "TouchpointLogged", at, ORIGIN).with("touchpointId", id).with("leadId", leadId)
                .with("dealId", leadId == null ? dealId : null).owner(mapping.owner(n.field("OwnerId"))).with("channel", channel)
                .with("direction", "Inbound".equalsIgnoreCase(n.field("CallType")) ? "INBOUND" : "OUTBOUND").json(), i, n.raw());
    }

    private String dealType(String crmType) {
        if (crmType == null) {
            return null;
        }
        String type = mapping.dealType(crmType);
        if (type == null) {
            throw new InvalidEventException("UNMAPPED_FIELD", "Salesforce Opportunity Type '" + crmType + "' is not in the mapping's deal-types");
        }
        return type;
    }

    /** Salesforce dateTime: ISO-8601 with a zone ({@code 2026-11-02T09:15:00.000Z}). */
    static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("INVALID_FIELD", "Salesforce dateTime '" + text + "' is not ISO-8601");
        }
    }

    static LocalDate date(String field, String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("INVALID_FIELD", "Salesforce " + field + " '" + text + "' is not an ISO-8601 date (YYYY-MM-DD)");
        }
    }

    static String text(Element e) {
        String s = e.getTextContent();
        return s == null || s.isBlank() ? null : s.trim();
    }
}
