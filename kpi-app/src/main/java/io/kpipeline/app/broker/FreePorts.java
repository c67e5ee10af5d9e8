package io.kpipeline.app.broker;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free ports for pipelines started in a temporary place (the benchmark, tests). A port the OS picks for
 * {@code ServerSocket(0)} comes from the ephemeral range, where any of the client sockets a pipeline opens before
 * its servers bind may take it; these come from below that range (32768 and up on Linux), never the same twice in
 * one JVM.
 */
public final class FreePorts {
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private static final Random RANDOM = new Random();

    private FreePorts() {
    }

    public static int next() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = 20_000 + RANDOM.nextInt(12_000);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(port)) {
                return port;
            } catch (IOException taken) {
                // in use by another program: try another
            }
        }
        throw new IllegalStateException("no free port between 20000 and 32000");
    }
}
