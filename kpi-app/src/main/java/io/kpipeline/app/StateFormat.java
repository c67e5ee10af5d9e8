package io.kpipeline.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The version of what the engine persists (store layouts, changelogs, internal topics). Kafka Streams keys all of it
 * by application id, so each format runs under an application id of its own: a new format starts from empty state and
 * rebuilds it by replaying {@code crm-events} (kept for the correction horizon), and never reads what an earlier one
 * wrote. Format 1 was the one-task engine, which ran under the configured id itself; format 2 the partitioned engine
 * with each lead's touchpoints in its event set; format 3 without the pipeline's changes over time.
 */
public final class StateFormat {
    private static final Logger LOG = LoggerFactory.getLogger(StateFormat.class);
    /**
     * 4: the partitioned engine (entity stage, facts, kpi-deltas, aggregate stage), a lead's touchpoints kept one
     * entry each beside its event set, each deal's contributions including its pipeline changes over time.
     */
    public static final int VERSION = 4;

    private StateFormat() {
    }

    /** The Kafka Streams application id of this format under the configured one. */
    public static String applicationId(String configured) {
        return configured + "-v" + VERSION;
    }

    /**
     * Says in one line for each earlier format whose state {@code stateDir} holds, and removes it: this build rebuilds
     * its own from crm-events.
     */
    public static void retireEarlier(Path stateDir, String configured) {
        for (int version = 1; version < VERSION; version++) {
            Path old = stateDir.resolve(version == 1 ? configured : configured + "-v" + version);
            if (Files.isDirectory(old)) {
                retire(old, version, configured);
            }
        }
    }

    private static void retire(Path old, int version, String configured) {
        LOG.warn("state of format {} found in {}: this build (format {}) rebuilds its state by replaying crm-events under application id {}; "
                + "the old directory is removed (on a shared cluster, the topics named {}-* can be deleted)",
                version, old, VERSION, applicationId(configured), old.getFileName());
        try (Stream<Path> files = Files.walk(old)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not remove {}: {}", old, e.getMessage());
        }
    }
}
