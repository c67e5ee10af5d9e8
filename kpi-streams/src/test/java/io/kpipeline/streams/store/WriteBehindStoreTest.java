package io.kpipeline.streams.store;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** One input's changes to a write-behind store are journaled so a failure half-way can undo them whole. */
class WriteBehindStoreTest {
    private static final StoreCodec<StringBuilder> TEXT = new StoreCodec<>() {
        public StringBuilder decode(byte[] bytes) {
            return new StringBuilder(new String(bytes, StandardCharsets.UTF_8));
        }

        public byte[] encode(StringBuilder value) {
            return value.toString().getBytes(StandardCharsets.UTF_8);
        }

        public boolean isEmpty(StringBuilder value) {
            return value.length() == 0;
        }
    };

    private WriteBehindStore<StringBuilder> store() throws Exception {
        Properties props = new Properties();
        props.put("application.id", "wbs-test");
        props.put("bootstrap.servers", "unused:9092");
        MockProcessorContext<String, Object> ctx = new MockProcessorContext<>(props, new org.apache.kafka.streams.processor.TaskId(0, 0),
                Files.createTempDirectory("wbs").toFile());
        KeyValueStore<String, byte[]> inner = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("t"), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        WriteBehindStore<StringBuilder> store = new WriteBehindStore<>(inner, TEXT, 100);
        store.init(ctx.getStateStoreContext(), store);
        return store;
    }

    @Test
    void aRollbackUndoesChangesInPlaceNewKeysAndDeletionsAndKeepsWhatCameBefore() throws Exception {
        WriteBehindStore<StringBuilder> store = store();
        store.update("flushed", StringBuilder::new).append("a");
        store.flushCache();
        store.update("pending", StringBuilder::new).append("b"); // changed before the input, not yet flushed

        store.begin();
        store.update("flushed", StringBuilder::new).append("-changed");
        store.update("pending", StringBuilder::new).append("-changed");
        store.update("new", StringBuilder::new).append("c");
        store.set("flushed", null);
        store.rollback();

        assertThat(store.value("flushed")).hasToString("a");
        assertThat(store.value("pending")).hasToString("b");
        assertThat(store.value("new")).isNull();
        store.flushCache();
        // what was pending before the input is still written; what the input did is not
        assertThat(new String(store.get("pending"), StandardCharsets.UTF_8)).isEqualTo("b");
        assertThat(new String(store.get("flushed"), StandardCharsets.UTF_8)).isEqualTo("a");
        assertThat(store.get("new")).isNull();
    }

    @Test
    void aCommitKeepsTheChanges() throws Exception {
        WriteBehindStore<StringBuilder> store = store();
        store.begin();
        store.update("k", StringBuilder::new).append("v");
        store.commit();
        store.rollback(); // nothing journaled any more: nothing undone
        store.flushCache();
        assertThat(new String(store.get("k"), StandardCharsets.UTF_8)).isEqualTo("v");
    }
}
