package io.kpipeline.streams.alerts;

import io.kpipeline.avro.Alert;
import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.LeadAssigned;
import io.kpipeline.avro.LeadCreated;
import io.kpipeline.avro.LeadDisqualified;
import io.kpipeline.avro.TouchpointDirection;
import io.kpipeline.avro.TouchpointLogged;
import io.kpipeline.streams.config.EngineSettings;
import io.kpipeline.streams.store.WriteBehindStore;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Lead-response alerts. Each new lead (created within the alerting horizon before now) gets its SLA and escalation
 * deadlines in a store ordered by deadline; a wall-clock punctuator fires the ones that pass with no outbound
 * touchpoint, at the deadline and not when a late contact finally arrives. A contact or disqualification
 * resolves what fired. Firing deletes the deadline in the same transaction as the alert, so after a restart an
 * overdue deadline fires once and none fires twice. A recent lead's first response goes on to its rep's task, keyed
 * by the rep, for {@code rep_response_degraded} ({@link RepAlertProcessor}).
 */
public final class SlaAlertProcessor implements Processor<String, CrmEvent, String, Object> {
    public static final String BREACHED = "lead_response_sla_breached";
    public static final String ESCALATED = "lead_response_sla_escalated";
    public static final String DEGRADED = "rep_response_degraded";
    public static final String LEADS_STORE = "alert-leads";
    public static final String DEADLINES_STORE = "alert-deadlines";
    public static final String ALERTS_STORE = "alerts";
    public static final String REPS_STORE = "alert-rep-responses";
    private static final Duration TICK = Duration.ofMillis(200);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SlaAlertProcessor.class);

    private final EngineSettings settings;
    private final AlertSettings alerting;
    private final AlertCounters counters;
    private ProcessorContext<String, Object> context;
    /** every lead's waiting state; looked up by every lead event, so held in memory and written back before commits */
    private WriteBehindStore<byte[]> leads;
    private KeyValueStore<String, byte[]> deadlines;
    private KeyValueStore<String, byte[]> alerts;

    public SlaAlertProcessor(EngineSettings settings, AlertSettings alerting, AlertCounters counters) {
        this.settings = settings;
        this.alerting = alerting;
        this.counters = counters;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        leads = WriteBehindStore.unwrap(context.getStateStore(LEADS_STORE));
        deadlines = context.getStateStore(DEADLINES_STORE);
        alerts = context.getStateStore(ALERTS_STORE);
        context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, this::fireDue);
    }

    @Override
    public void process(Record<String, CrmEvent> record) {
        try {
            track(record.value());
        } catch (RuntimeException ex) {
            // alerting must never stop the KPIs that share this task; the miss is counted (metrics, /health) and logged
            counters.error();
            LOG.error("alerting could not take event {} (its KPIs are not affected)", record.value().getEventId(), ex);
        }
    }

    private void track(CrmEvent e) {
        Object p = e.getPayload();
        long at = e.getOccurredAt().toEpochMilli();
        if (p instanceof LeadCreated c) {
            WaitingLead before = lead(c.getLeadId());
            if (before.createdAt() != 0) {
                return; // a re-sync or duplicate of the creation changes nothing here
            }
            WaitingLead lead = before.created(at, c.getRepId(), c.getTeamId(), c.getSource(), c.getSegment());
            if (lead.contactedAt() != 0) {
                trackResponse(lead);
            }
            if (!lead.closed() && recent(lead)) {
                long sla = settings.slaFor(lead.source(), lead.segment()).toMillis();
                deadlines.put(deadlineKey(at + sla, BREACHED, lead.leadId()), new byte[0]);
                deadlines.put(deadlineKey(at + alerting.escalation().toMillis(), ESCALATED, lead.leadId()), new byte[0]);
                lead = lead.withScheduled();
            }
            leads.set(lead.leadId(), lead.toBytes());
        } else if (p instanceof LeadAssigned a) {
            WaitingLead lead = lead(a.getLeadId()).withRep(a.getRepId(), a.getTeamId());
            leads.set(lead.leadId(), lead.toBytes());
        } else if (p instanceof TouchpointLogged t && t.getLeadId() != null && t.getDirection() != TouchpointDirection.INBOUND) {
            WaitingLead before = lead(t.getLeadId());
            WaitingLead lead = before.contacted(at);
            leads.set(lead.leadId(), lead.toBytes());
            if (!before.closed() && before.createdAt() != 0) {
                resolve(lead, at);
                trackResponse(lead);
            }
        } else if (p instanceof LeadDisqualified) {
            WaitingLead before = lead(((LeadDisqualified) p).getLeadId());
            WaitingLead lead = before.disqualified(at);
            leads.set(lead.leadId(), lead.toBytes());
            if (!before.closed()) {
                resolve(lead, at);
            }
        }
    }

    private WaitingLead lead(String leadId) {
        byte[] b = leads.value(leadId);
        return b == null ? WaitingLead.unknown(leadId) : WaitingLead.fromBytes(b);
    }

    /** Leads created longer ago than the alerting horizon are history: they never alert. */
    private boolean recent(WaitingLead lead) {
        return lead.createdAt() >= context.currentSystemTimeMs() - alerting.alertingHorizon().toMillis();
    }

    private void fireDue(long now) {
        List<String> due = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = deadlines.range(deadlineKey(0, "", ""), deadlineKey(now, "~", ""))) {
            while (it.hasNext()) {
                due.add(it.next().key);
            }
        }
        for (String key : due) {
            deadlines.delete(key);
            String[] parts = key.split("\\|", 3);
            long deadline = Long.parseLong(parts[0]);
            WaitingLead lead = lead(parts[2]);
            String rule = parts[1];
            boolean fired = rule.equals(BREACHED) ? lead.breachedFired() : lead.escalatedFired();
            if (lead.closed() || fired || !recent(lead)) {
                continue;
            }
            Alert alert = new Alert(rule + "|" + lead.leadId(), rule, "open", lead.leadId(), lead.repId(), lead.teamId(), lead.source(),
                    lead.segment(), Instant.ofEpochMilli(lead.createdAt()), Instant.ofEpochMilli(deadline), Instant.ofEpochMilli(now), null,
                    (now - lead.createdAt()) / 1000.0, null);
            emit(alert);
            counters.fired(rule, now - deadline);
            leads.set(lead.leadId(), lead.fired(rule).toBytes());
        }
    }

    private void resolve(WaitingLead lead, long at) {
        for (String rule : List.of(BREACHED, ESCALATED)) {
            byte[] open = alerts.get(rule + "|" + lead.leadId());
            if (open == null) {
                continue;
            }
            Alert alert = AlertCodec.decode(open);
            if (!alert.getStatus().equals("open")) {
                continue;
            }
            alert.setStatus("resolved");
            alert.setResolvedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()));
            alert.setWaitSeconds((at - lead.createdAt()) / 1000.0);
            emit(alert);
            counters.resolved(rule);
        }
    }

    /** Sends a first response of a recent lead to its rep's window ({@link RepAlertProcessor}). */
    private void trackResponse(WaitingLead lead) {
        if (lead.repId() == null || !recent(lead)) {
            return;
        }
        context.forward(new Record<>(lead.repId(), new RepResponse(lead.repId(), lead.leadId(), lead.teamId(), lead.source(), lead.segment(),
                lead.contactedAt() - lead.createdAt()), context.currentSystemTimeMs()));
    }

    private void emit(Alert alert) {
        alerts.put(alert.getId(), AlertCodec.encode(alert));
        context.forward(new Record<>(alert.getId(), alert, context.currentSystemTimeMs()));
    }

    /** Deadline-ordered key: fixed-width millis, rule, lead. */
    static String deadlineKey(long deadline, String rule, String leadId) {
        return String.format("%015d|%s|%s", deadline, rule, leadId);
    }

}
