package io.kpipeline.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the last run on a state directory stopped cleanly: a marker written at start and removed after the streams
 * closed. Found at the next start, it means a crash or kill: said in one line, since the rebuild of the stores that
 * follows takes a while and Kafka Streams' own account of it is kept out of the log ({@link RecoveryLogFilter}).
 */
final class UncleanStop {
    private static final Logger LOG = LoggerFactory.getLogger(UncleanStop.class);
    static final String MARKER = "running";

    private UncleanStop() {
    }

    /** Says so when the last run did not stop cleanly, and marks this one as running. */
    static boolean check(Path stateDir) {
        Path marker = stateDir.resolve(MARKER);
        boolean unclean = Files.exists(marker);
        if (unclean) {
            LOG.warn("the last run on {} did not stop cleanly: the stores it held are rebuilt from their changelogs before"
                    + " they answer (no event is lost or counted twice)", stateDir);
        }
        try {
            Files.createDirectories(stateDir);
            Files.writeString(marker, ProcessHandle.current().pid() + "\n");
        } catch (IOException e) {
            LOG.warn("cannot mark {} as in use: {}", marker, e.toString());
        }
        return unclean;
    }

    static void stopped(Path stateDir) throws IOException {
        Files.deleteIfExists(stateDir.resolve(MARKER));
    }
}
