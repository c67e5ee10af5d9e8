package io.kpipeline.streams.alerts;

import java.time.Duration;

/** When alerts fire: the second (escalation) deadline, how old a lead may be and still alert, and the rep rule. */
public record AlertSettings(Duration escalation, Duration alertingHorizon, int repWindowLeads, Duration repP90Threshold) {
    public static AlertSettings defaults() {
        return new AlertSettings(Duration.ofMinutes(30), Duration.ofHours(1), 20, Duration.ofMinutes(15));
    }
}
