package io.kpipeline.streams.topology;

/** Names of the engine's state stores (their changelog topics are named after them). */
public final class Stores {
    /**
     * entity key → the entity's events, deduplicated by eventId (a duplicate delivery is the same entity's), in
     * arrival order, and the contributions the entity made last (one {@link io.kpipeline.streams.entity.EntityRecord}).
     */
    public static final String ENTITIES = "entities";
    /**
     * lead key + NUL + touchpoint id → the touchpoint folded from its events; lead key + SOH + event id → its events'
     * ids, for duplicates (a {@link io.kpipeline.streams.entity.TouchLog}).
     */
    public static final String TOUCHES = "entity-touches";
    /** entity key → the facts it received from linked entities and sent to them (one {@link io.kpipeline.streams.entity.EntityFacts}). */
    public static final String ENTITY_FACTS = "entity-facts";
    /** series key → aggregate parts (sums and duration histogram); what the query API reads. */
    public static final String AGGREGATES = "kpi-aggregates";
    /** series changed since the last publication to kpi-updates. */
    public static final String MARKS = "kpi-changed-series";
    /** stream time and other engine bookkeeping. */
    public static final String META = "engine-meta";

    private Stores() {
    }
}
