package io.kpipeline.streams.measure;

import java.util.List;

/**
 * The parts of the pipeline's movement in a period ({@link Measure#PIPELINE_FLOW}'s sub-keys): what entered the
 * open pipeline (created, increased, reopened) and what left it (decreased, won, lost). The sub-key is persisted in
 * store keys: never change one.
 */
public enum FlowPart {
    CREATED("created", true),
    INCREASED("increased", true),
    DECREASED("decreased", false),
    WON("won", false),
    LOST("lost", false),
    REOPENED("reopened", true);

    /** In the order of the waterfall: opening, then these, then closing. */
    public static final List<FlowPart> WATERFALL = List.of(CREATED, INCREASED, DECREASED, WON, LOST, REOPENED);

    private final String id;
    private final boolean adds;

    FlowPart(String id, boolean adds) {
        this.id = id;
        this.adds = adds;
    }

    /** The sub-key and the name of the point's field. */
    public String id() {
        return id;
    }

    /** Whether the part adds to the open pipeline (else it takes from it). */
    public boolean adds() {
        return adds;
    }
}
