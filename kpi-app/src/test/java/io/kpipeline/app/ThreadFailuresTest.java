package io.kpipeline.app;

import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

class ThreadFailuresTest {
    @Test
    void theThirdFailureOfTheEngineStopsProcessingNamingItsCause() {
        ThreadFailures failures = new ThreadFailures();
        StreamsException bug = new StreamsException(new IllegalStateException("no stage for kind 'x'"));
        assertThat(failures.handle(bug)).isEqualTo(REPLACE_THREAD);
        assertThat(failures.handle(bug)).isEqualTo(REPLACE_THREAD);
        assertThat(failures.fatal()).isNull();
        assertThat(failures.handle(bug)).isEqualTo(SHUTDOWN_CLIENT);
        assertThat(failures.fatal()).contains("3 stream-thread failures").contains("no stage for kind 'x'");
    }

    @Test
    void aRetriableKafkaErrorReplacesTheThreadWithoutCountingTowardsTheStop() {
        // a broker restarting: its coordinators answer "loading", requests time out, for as long as it takes
        ThreadFailures failures = new ThreadFailures();
        for (int i = 0; i < 10; i++) {
            assertThat(failures.handle(new StreamsException("task timed out", new TimeoutException("InitProducerId"))))
                    .isEqualTo(REPLACE_THREAD);
        }
        assertThat(failures.fatal()).isNull();
        // and they do not hide an engine failure after them: that one still counts from its first
        StreamsException bug = new StreamsException(new IllegalStateException("boom"));
        failures.handle(bug);
        failures.handle(bug);
        assertThat(failures.handle(bug)).isEqualTo(SHUTDOWN_CLIENT);
    }
}
