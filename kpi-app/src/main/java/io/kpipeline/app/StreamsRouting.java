package io.kpipeline.app;

import io.kpipeline.app.http.Routing;
import io.kpipeline.streams.alerts.RepAlertProcessor;
import io.kpipeline.streams.alerts.SlaAlertProcessor;
import io.kpipeline.streams.query.KpiQuery;
import io.kpipeline.streams.time.BusinessCalendar;
import io.kpipeline.streams.topology.KpiTopology;
import io.kpipeline.streams.topology.Stores;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a query's data lives, read from Kafka Streams' metadata: the owner of a {@code dimension|key}, and the
 * instances holding a share of a partitioned store, checked to cover every partition.
 */
final class StreamsRouting implements Routing {
    private final KafkaStreams streams;
    /** host:port of this instance, as the others reach it */
    private final String self;
    private final String applicationId;
    private final int eventPartitions;
    private final BusinessCalendar calendar;

    StreamsRouting(KafkaStreams streams, String self, String applicationId, int eventPartitions, BusinessCalendar calendar) {
        this.streams = streams;
        this.self = self;
        this.applicationId = applicationId;
        this.eventPartitions = eventPartitions;
        this.calendar = calendar;
    }

    @Override
    public String ownerOf(String ownerKey) {
        try {
            // while rebalancing the metadata may be a moment old: an instance asked for a key it no longer owns
            // answers 503, as it does for a forwarded request it cannot serve
            KeyQueryMetadata meta = streams.queryMetadataForKey(Stores.AGGREGATES, ownerKey, new StringSerializer());
            if (meta == null || meta.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
                throw new InvalidStateStoreException("the owner of " + ownerKey + " is not known yet");
            }
            HostInfo owner = meta.activeHost();
            String ownerText = owner.host() + ":" + owner.port();
            return ownerText.equals(self) ? null : ownerText;
        } catch (IllegalStateException e) {
            throw new InvalidStateStoreException("streams not running: " + e.getMessage());
        }
    }

    @Override
    public KpiQuery localQuery(String ownerKey) {
        KeyQueryMetadata meta = streams.queryMetadataForKey(Stores.AGGREGATES, ownerKey, new StringSerializer());
        ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(Stores.AGGREGATES,
                QueryableStoreTypes.<String, byte[]>keyValueStore()).withPartition(meta.partition()));
        return KpiQuery.overStore(store, calendar);
    }

    @Override
    public Holders holders(Scope scope) {
        return switch (scope) {
            case AGGREGATES -> holdersOf(Stores.AGGREGATES, KpiTopology.aggregateInput(applicationId));
            case ALERTS -> holdersOf(SlaAlertProcessor.ALERTS_STORE, KpiTopology.entityInput());
            case REP_ALERTS -> holdersOf(RepAlertProcessor.REP_ALERTS_STORE, KpiTopology.repInput(applicationId));
        };
    }

    /**
     * The other instances holding active tasks of {@code store}, checked to cover every partition of {@code inputTopic}
     * (the store's input): while one has no active owner, there is no complete answer.
     */
    private Holders holdersOf(String store, String inputTopic) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            throw new InvalidStateStoreException("streams are " + streams.state() + ", not running");
        }
        Set<Integer> covered = new HashSet<>();
        List<String> others = new ArrayList<>();
        boolean mine = false;
        for (StreamsMetadata m : streams.streamsMetadataForStore(store)) {
            boolean holds = false;
            for (TopicPartition tp : m.topicPartitions()) {
                if (tp.topic().equals(inputTopic)) {
                    covered.add(tp.partition());
                    holds = true;
                }
            }
            String host = m.hostInfo().host() + ":" + m.hostInfo().port();
            if (holds && host.equals(self)) {
                mine = true;
            } else if (holds) {
                others.add(host);
            }
        }
        if (covered.size() < eventPartitions) {
            throw new InvalidStateStoreException(store + ": " + (eventPartitions - covered.size())
                    + " of " + eventPartitions + " partitions have no active owner (rebalancing)");
        }
        return new Holders(mine, others);
    }
}
