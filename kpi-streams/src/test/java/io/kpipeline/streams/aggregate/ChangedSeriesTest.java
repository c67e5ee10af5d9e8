package io.kpipeline.streams.aggregate;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChangedSeriesTest {
    static KeyValueStore<String, byte[]> store() {
        KeyValueStore<String, byte[]> s = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("marks"), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        s.init(new MockProcessorContext<>().getStateStoreContext(), s);
        return s;
    }

    static List<String> pending(ChangedSeries c) {
        List<String> out = new ArrayList<>();
        c.oldestFirstWithRecords().forEachRemaining(e -> out.add(e.getKey()));
        return out;
    }

    @Test
    void aRestartTakesUpWhatWasLoggedAndNotPublished() {
        KeyValueStore<String, byte[]> store = store();
        ChangedSeries first = new ChangedSeries(store);
        first.mark("a");
        first.mark("b");
        first.mark("a");
        first.log(); // one record: a, b
        first.mark("c");
        first.log(); // another: c
        first.published("a");
        first.published("c"); // its record has nothing left to publish: deleted
        assertThat(pending(first)).containsExactly("b");
        assertThat(store.approximateNumEntries()).isEqualTo(1);

        // a crash now: the next run publishes b again, and a with it (a record is what a restart takes up; a point
        // published twice is the same point), but not c
        ChangedSeries second = new ChangedSeries(store);
        assertThat(pending(second)).containsExactly("a", "b");
        second.published("b");
        second.published("a");
        assertThat(store.approximateNumEntries()).isZero();
        second.mark("d");
        second.log();
        assertThat(pending(new ChangedSeries(store))).containsExactly("d");
    }

    @Test
    void whatIsPublishedBeforeItIsLoggedIsNotLogged() {
        KeyValueStore<String, byte[]> store = store();
        ChangedSeries c = new ChangedSeries(store);
        c.mark("a");
        c.published("a");
        c.log();
        assertThat(store.approximateNumEntries()).isZero();
        assertThat(c.size()).isZero();
    }

    @Test
    void aLargeCommitIsLoggedInRecordsOfBoundedSize() {
        KeyValueStore<String, byte[]> store = store();
        ChangedSeries c = new ChangedSeries(store);
        for (int i = 0; i < 2 * ChangedSeries.PER_RECORD + 1; i++) {
            c.mark("series-" + i);
        }
        c.log();
        // 2,001 series: two full records and one of a single series
        assertThat(store.approximateNumEntries()).isEqualTo(3);
        assertThat(new ChangedSeries(store).size()).isEqualTo(2 * ChangedSeries.PER_RECORD + 1);
        for (int i = 0; i < ChangedSeries.PER_RECORD; i++) {
            c.published("series-" + i);
        }
        assertThat(store.approximateNumEntries()).isEqualTo(2);
    }
}
