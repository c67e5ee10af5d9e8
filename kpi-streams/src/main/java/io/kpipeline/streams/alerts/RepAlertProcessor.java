package io.kpipeline.streams.alerts;

import io.kpipeline.avro.Alert;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Instant;

/**
 * {@code rep_response_degraded}, one task per partition of reps: each rep's rolling window of its recent leads'
 * first-response times, and the alert that opens when the window's p90 goes over the threshold and resolves when
 * it comes back under.
 */
public final class RepAlertProcessor implements Processor<String, RepResponse, String, Alert> {
    public static final String REP_ALERTS_STORE = "rep-alerts";

    private final AlertSettings alerting;
    private final AlertCounters counters;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, byte[]> alerts;
    private RepResponseWindow reps;

    public RepAlertProcessor(AlertSettings alerting, AlertCounters counters) {
        this.alerting = alerting;
        this.counters = counters;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        alerts = context.getStateStore(REP_ALERTS_STORE);
        reps = new RepResponseWindow(context.getStateStore(SlaAlertProcessor.REPS_STORE), alerting.repWindowLeads());
    }

    @Override
    public void process(Record<String, RepResponse> record) {
        RepResponse r = record.value();
        RepResponseWindow.Change change = reps.add(r.repId(), r.responseMillis(), alerting.repP90Threshold().toMillis());
        if (change == RepResponseWindow.Change.NONE) {
            return;
        }
        String id = SlaAlertProcessor.DEGRADED + "|" + r.repId();
        long now = context.currentSystemTimeMs();
        byte[] previous = alerts.get(id);
        Alert alert;
        if (change == RepResponseWindow.Change.DEGRADED) {
            alert = new Alert(id, SlaAlertProcessor.DEGRADED, "open", r.leadId(), r.repId(), r.teamId(), r.source(), r.segment(),
                    null, null, Instant.ofEpochMilli(now), null, reps.p90Millis(r.repId()) / 1000.0,
                    "p90 response over the last " + alerting.repWindowLeads() + " leads is above " + alerting.repP90Threshold());
            counters.fired(SlaAlertProcessor.DEGRADED, 0);
        } else {
            if (previous == null) {
                return;
            }
            alert = AlertCodec.decode(previous);
            alert.setStatus("resolved");
            alert.setResolvedAt(Instant.ofEpochMilli(now));
            alert.setWaitSeconds(reps.p90Millis(r.repId()) / 1000.0);
            counters.resolved(SlaAlertProcessor.DEGRADED);
        }
        alerts.put(alert.getId(), AlertCodec.encode(alert));
        context.forward(new Record<>(alert.getId(), alert, now));
    }
}
