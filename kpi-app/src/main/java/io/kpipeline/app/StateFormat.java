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
 * wrote. Format 1 was the one-task engine, which ran under the configured id itself.
 */
public final class StateFormat {
    private static final Logger LOG = LoggerFactory.getLogger(StateFormat.class);
    /** 2: the partitioned engine (entity stage, facts, kpi-deltas, aggregate stage). */
    public static final int VERSION = 2;

    private StateFormat() {
    }

    /** The Kafka Streams application id of this format under the configured one. */
    public static String applicationId(String configured) {
        return configured + "-v" + VERSION;
    }

    /**
     * Says in one line when {@code stateDir} holds state of an earlier format, and removes it: this build rebuilds
     * its own from crm-events.
     */
    public static void retireEarlier(Path stateDir, String configured) {
        Path v1 = stateDir.resolve(configured);
        if (!Files.isDirectory(v1)) {
            return;
        }
        LOG.warn("state of format 1 (the one-task engine) found in {}: this build (format {}) rebuilds its state by replaying crm-events "
                + "under application id {}; the old directory is removed (on a shared cluster, the topics named {}-* can be deleted)",
                v1, VERSION, applicationId(configured), configured);
        try (Stream<Path> files = Files.walk(v1)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not remove {}: {}", v1, e.getMessage());
        }
    }
}
