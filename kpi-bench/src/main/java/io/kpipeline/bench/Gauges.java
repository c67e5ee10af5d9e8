package io.kpipeline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What the benchmarks read off the machine: elapsed time, a directory's size on disk, the process's peak memory. */
final class Gauges {
    private Gauges() {
    }

    /** Seconds since {@code startNanos} of {@link System#nanoTime()}. */
    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    static long rssPeakKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
