package io.kpipeline.app.http;

import java.util.List;

/**
 * Where the data of a query lives when several instances share the work: the owner of one {@code dimension|key}'s
 * aggregates, and the other instances that hold a share of a partitioned store. Both throw
 * {@link org.apache.kafka.streams.errors.InvalidStateStoreException} while that is not known for every partition
 * (starting, rebalancing, an owner lost): a partial answer is never given as a complete one.
 */
public interface Routing {
    /** The stores a query may gather from. */
    enum Scope { AGGREGATES, ALERTS, REP_ALERTS }

    /** {@code host:port} of the instance owning the aggregates of {@code ownerKey}, or null when it is this one. */
    String ownerOf(String ownerKey);

    /**
     * The queries of this instance's share holding {@code ownerKey}, when {@link #ownerOf} said this instance owns it:
     * read from that partition's store alone, so a partition that moved away meanwhile is a 503, not an empty answer.
     */
    io.kpipeline.streams.query.KpiQuery localQuery(String ownerKey);

    /** Who holds active partitions of the scope's store: whether this instance does, and the others that do. */
    Holders holders(Scope scope);

    record Holders(boolean self, List<String> others) {
    }
}
