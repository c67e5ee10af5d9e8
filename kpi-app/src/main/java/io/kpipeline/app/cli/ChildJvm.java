package io.kpipeline.app.cli;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A benchmark's second process: a class of this project run in a JVM of its own with this one's heap and GC
 * settings, so a baseline starts as cold as what it is compared with, and load comes from outside the measured
 * process.
 */
public final class ChildJvm {
    private final Process process;

    private ChildJvm(Process process) {
        this.process = process;
    }

    public static ChildJvm start(Class<?> main, String... args) throws java.io.IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-Xm") || arg.startsWith("-XX:+Use") && arg.endsWith("GC")) {
                command.add(arg);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /**
     * Waits for the process and returns the figures it printed, one a line as {@code label number}; its last line
     * of output names the failure when it exits non-zero.
     */
    public Map<String, Double> results() throws Exception {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("the benchmark process failed: " + output.strip().lines().reduce((a, b) -> b).orElse(""));
        }
        Map<String, Double> figures = new HashMap<>();
        for (String line : output.lines().toList()) {
            String[] parts = line.split(" ");
            if (parts.length == 2 && parts[1].matches("-?[0-9.E]+")) {
                figures.put(parts[0], Double.parseDouble(parts[1]));
            }
        }
        return figures;
    }

    /** The one figure named {@code label} (see {@link #results}). */
    public double result(String label) throws Exception {
        Double value = results().get(label);
        if (value == null) {
            throw new IllegalStateException("the benchmark process printed no '" + label + "'");
        }
        return value;
    }

    /** Stops the process if it still runs. */
    public void kill() {
        process.destroyForcibly();
    }
}
