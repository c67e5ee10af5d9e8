package io.kpipeline.streams.topology;

/** The pipeline's topics. */
public record TopicNames(String events, String deadLetters, String kpiUpdates, String alerts, String fxRates) {
    public static final TopicNames DEFAULT = new TopicNames("crm-events", "crm-events-dlq", "kpi-updates", "kpi-alerts", "kpi-fx-rates");
}
