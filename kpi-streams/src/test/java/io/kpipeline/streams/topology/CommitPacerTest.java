package io.kpipeline.streams.topology;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class CommitPacerTest {
    @org.junit.jupiter.api.BeforeEach
    void freshThread() {
        // what the tasks of a stream thread share would otherwise carry over from the test before
        ThreadShare.reset();
    }

    private static MockProcessorContext<Object, Object> context(Long keepingUpMs, long kafkaMs) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "pacer");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, kafkaMs);
        if (keepingUpMs != null) {
            p.put(CommitPacer.KEEPING_UP_COMMIT_MS, keepingUpMs);
        }
        return new MockProcessorContext<>(p);
    }

    private static void tick(MockProcessorContext<Object, Object> context) {
        context.resetCommit();
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(System.currentTimeMillis());
    }

    @Test
    void asksForACommitEveryTickWhileTheEngineIdles() {
        MockProcessorContext<Object, Object> context = context(200L, 1000);
        CommitPacer pacer = CommitPacer.maybeStart(context);
        assertThat(context.scheduledPunctuators()).singleElement()
                .satisfies(p -> assertThat(p.getInterval()).isEqualTo(Duration.ofMillis(200)));
        pacer.processing();
        pacer.processed(System.currentTimeMillis());
        tick(context);
        assertThat(context.committed()).isTrue();
    }

    @Test
    void leavesCommitsToKafkasIntervalForAWhileAfterABusyTick() {
        MockProcessorContext<Object, Object> context = context(200L, 60_000);
        backlogged(context);
        // an idle tick right after (a flush, a publication) does not end the backlog: that takes Kafka's interval
        tick(context);
        assertThat(context.committed()).isFalse();
    }

    @Test
    void oneSlowCallAtALiveRateIsNoBacklog() throws InterruptedException {
        MockProcessorContext<Object, Object> context = context(200L, 60_000);
        CommitPacer pacer = CommitPacer.maybeStart(context);
        // a garbage collection pause inside one event's processing
        pacer.processing();
        Thread.sleep(100);
        pacer.processed(System.currentTimeMillis() - 120_000);
        tick(context);
        assertThat(context.committed()).isTrue();
    }

    @Test
    void recordsThatCameInRecentlyEndTheBacklogAtOnce() {
        MockProcessorContext<Object, Object> context = context(200L, 60_000);
        CommitPacer pacer = backlogged(context);
        pacer.processing();
        pacer.processed(System.currentTimeMillis() - 50);
        tick(context);
        assertThat(context.committed()).isTrue();
    }

    @Test
    void burstsOfFreshRecordsAreNoBacklog() {
        // a live stream on a machine saturated by other work: processed in bursts, but appended just now
        MockProcessorContext<Object, Object> context = context(200L, 60_000);
        CommitPacer pacer = CommitPacer.maybeStart(context);
        busy(pacer, System.currentTimeMillis());
        tick(context);
        assertThat(context.committed()).isTrue();
    }

    /** A pacer after a busy tick of records appended two minutes ago: no commit asked for. */
    private static CommitPacer backlogged(MockProcessorContext<Object, Object> context) {
        CommitPacer pacer = CommitPacer.maybeStart(context);
        busy(pacer, System.currentTimeMillis() - 120_000);
        tick(context);
        assertThat(context.committed()).isFalse();
        return pacer;
    }

    /** Processing for (nearly) a whole tick, an event every 20 microseconds. */
    private static void busy(CommitPacer pacer, long appendedMs) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < 100_000_000L) {
            pacer.processing();
            long event = System.nanoTime();
            while (System.nanoTime() - event < 20_000) {
                Thread.onSpinWait();
            }
            pacer.processed(appendedMs);
        }
    }

    @Test
    void noPacerUnlessItsIntervalIsTheShorter() {
        assertThat(CommitPacer.maybeStart(context(null, 1000))).isNull();
        assertThat(CommitPacer.maybeStart(context(1000L, 1000))).isNull();
        assertThat(context(null, 1000).scheduledPunctuators()).isEmpty();
    }
}
