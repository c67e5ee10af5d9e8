package io.kpipeline.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's concurrent query load, run as a second process (as {@code wrk} would be, or {@code wrk2} with a
 * rate): several connections each asking the given paths in turn for a number of seconds, either at a fixed total
 * rate (an open loop: a late answer does not delay the next request's schedule) or as fast as they are answered (a
 * closed loop, which saturates the machine). Prints the rate it reached and how many answers were not 200.
 */
public final class QueryLoad {
    static final String RATE = "query-load-requests-per-second";
    static final String ERRORS = "query-load-errors";

    private QueryLoad() {
    }

    /** {@code BASE_URL SECONDS CONNECTIONS RATE PATH...}; RATE 0 is as fast as answered. */
    public static void main(String[] args) throws Exception {
        String base = args[0];
        long seconds = Long.parseLong(args[1]);
        int connections = Integer.parseInt(args[2]);
        int rate = Integer.parseInt(args[3]);
        // each connection's share of the rate: one request every this many nanoseconds
        long interval = rate == 0 ? 0 : connections * 1_000_000_000L / rate;
        List<HttpRequest> requests = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            requests.add(HttpRequest.newBuilder(URI.create(base + args[i])).build());
        }
        AtomicLong answered = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int offset = c;
            Thread t = new Thread(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                long due = start + offset * interval / connections;
                for (int i = offset; System.nanoTime() < end; i++) {
                    if (interval > 0) {
                        due += interval;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        }
                    }
                    try {
                        HttpResponse<Void> r = http.send(requests.get(i % requests.size()), HttpResponse.BodyHandlers.discarding());
                        (r.statusCode() == 200 ? answered : errors).incrementAndGet();
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
            }, "query-load-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        System.out.println(RATE + " " + answered.get() / ((System.nanoTime() - start) / 1e9));
        System.out.println(ERRORS + " " + errors.get());
    }
}
