package io.kpipeline.streams.alerts;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/** Alerts fired and resolved by rule, and the delay from deadline to firing; bound to Micrometer by the application. */
public final class AlertCounters {
    private final Map<String, LongAdder> fired = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> resolved = new ConcurrentHashMap<>();
    private final LongAdder errors = new LongAdder();
    private volatile LongConsumer delayListener = d -> { };

    void error() {
        errors.increment();
    }

    /** Events alerting could not take (the KPIs took them): counted, logged, shown on /health. */
    public long errors() {
        return errors.sum();
    }

    void fired(String rule, long delayMillis) {
        fired.computeIfAbsent(rule, k -> new LongAdder()).increment();
        delayListener.accept(delayMillis);
    }

    void resolved(String rule) {
        resolved.computeIfAbsent(rule, k -> new LongAdder()).increment();
    }

    public Map<String, LongAdder> firedByRule() {
        return fired;
    }

    public Map<String, LongAdder> resolvedByRule() {
        return resolved;
    }

    /** Receives each firing's delay after its deadline, in milliseconds. */
    public void onDelay(LongConsumer listener) {
        this.delayListener = listener;
    }
}
