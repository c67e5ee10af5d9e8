package io.kpipeline.streams.topology;

/**
 * The pipeline's topics. {@code entityFacts} carries what one entity tells another (a lead its deals, a deal its lead
 * and account), keyed by the reader; it has as many partitions as the entity stage. {@code parts} holds the parts of
 * events that connectors get in several deliveries, which the assembly stage completes into {@code events}; null
 * where nothing sends parts (the benchmarks), and then the topology has no assembly stage.
 */
public record TopicNames(String events, String deadLetters, String kpiUpdates, String alerts, String fxRates, String entityFacts,
                         String parts) {
    public static final TopicNames DEFAULT = new TopicNames("crm-events", "crm-events-dlq", "kpi-updates", "kpi-alerts", "kpi-fx-rates",
            "kpi-entity-facts", io.kpipeline.schemas.part.EventPart.TOPIC);

    /**
     * The topics of the Kafka Streams application {@code applicationId}: the facts topic belongs to it, as its internal
     * topics do, so two applications (or two state formats) on one cluster never read each other's facts.
     */
    public static TopicNames forApplication(String applicationId) {
        return new TopicNames(DEFAULT.events, DEFAULT.deadLetters, DEFAULT.kpiUpdates, DEFAULT.alerts, DEFAULT.fxRates,
                applicationId + "-entity-facts", DEFAULT.parts);
    }
}
