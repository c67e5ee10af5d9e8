package io.kpipeline.app.http;

import io.javalin.http.sse.SseClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Server-Sent Event subscribers of one kind of message. Publishing only enqueues: each client has a bounded queue
 * drained by a small sender pool, so a slow client never slows whoever publishes; a client whose queue overflows,
 * or whose connection fails, is dropped. A heartbeat comment keeps idle connections open through proxies.
 */
public final class SseHub<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SseHub.class);
    private static final int QUEUE = 1000;
    private final String eventName;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final ExecutorService senders = Executors.newFixedThreadPool(2, daemon("sse-sender"));
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(daemon("sse-heartbeat"));

    public SseHub(String eventName) {
        this.eventName = eventName;
        heartbeat.scheduleAtFixedRate(() -> subscribers.forEach(s -> s.enqueue(null)), 15, 15, TimeUnit.SECONDS);
    }

    private final class Subscriber {
        final SseClient client;
        final Predicate<T> filter;
        final java.util.function.Function<T, String> render;
        final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
        final AtomicBoolean scheduled = new AtomicBoolean();
        final AtomicBoolean dropped = new AtomicBoolean();

        Subscriber(SseClient client, Predicate<T> filter, java.util.function.Function<T, String> render) {
            this.client = client;
            this.filter = filter;
            this.render = render;
        }

        /** null is a heartbeat. */
        void enqueue(Object message) {
            if (!queue.offer(message == null ? HEARTBEAT : message)) {
                LOG.debug("dropping a slow SSE client");
                drop();
                return;
            }
            if (!senders.isShutdown() && scheduled.compareAndSet(false, true)) {
                try {
                    senders.execute(this::drain);
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    scheduled.set(false);
                }
            }
        }

        void drain() {
            try {
                Object m;
                while ((m = queue.poll()) != null && !client.terminated()) {
                    if (m == HEARTBEAT) {
                        client.sendComment("heartbeat");
                    } else {
                        client.sendEvent(eventName, m);
                    }
                }
            } catch (RuntimeException e) {
                drop();
            } finally {
                scheduled.set(false);
                if (!queue.isEmpty() && !client.terminated() && !senders.isShutdown() && scheduled.compareAndSet(false, true)) {
                    try {
                        senders.execute(this::drain);
                    } catch (java.util.concurrent.RejectedExecutionException closing) {
                        scheduled.set(false);
                    }
                }
            }
            if (client.terminated()) {
                subscribers.remove(this);
            }
        }

        void drop() {
            subscribers.remove(this);
            if (dropped.compareAndSet(false, true)) {
                try {
                    client.close();
                } catch (RuntimeException ignored) {
                    // already gone
                }
            }
        }
    }

    private static final Object HEARTBEAT = new Object();

    /** Keeps {@code client} open and sends it, rendered, every published message that {@code filter} accepts. */
    public void subscribe(SseClient client, Predicate<T> filter, java.util.function.Function<T, String> render) {
        Subscriber s = new Subscriber(client, filter, render);
        subscribers.add(s);
        client.onClose(() -> subscribers.remove(s));
        client.keepAlive();
    }

    /** Sends {@code message} to the subscribers whose filter accepts it. */
    public void publish(T message) {
        for (Subscriber s : subscribers) {
            if (s.filter.test(message)) {
                s.enqueue(s.render.apply(message));
            }
        }
    }

    public int clients() {
        return subscribers.size();
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        senders.shutdownNow();
        java.util.List<Subscriber> all = new java.util.ArrayList<>(subscribers);
        subscribers.clear();
        all.forEach(Subscriber::drop);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
