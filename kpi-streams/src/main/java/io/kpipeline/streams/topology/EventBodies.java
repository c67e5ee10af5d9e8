package io.kpipeline.streams.topology;

import io.kpipeline.avro.CrmEvent;

/**
 * The wire bytes of the event a stream thread is passing from the decoder to the engine, when they were written in
 * this build's schema: their Avro body is then what the engine would store for the event, so it stores the body as
 * it came instead of encoding the decoded event again (a twentieth of the engine's time). A thread takes one record
 * at a time from the decoder through to the engine (without a repartition between them), so the bytes are found by
 * the identity of the decoded event; past a repartition the engine sees another object and encodes.
 */
final class EventBodies {
    private static final ThreadLocal<EventBodies> CURRENT = ThreadLocal.withInitial(EventBodies::new);
    private CrmEvent event;
    private byte[] framed;

    private EventBodies() {
    }

    /** The decoder forwards {@code event}, read from {@code framed} (wire format, in this build's schema). */
    static void passing(CrmEvent event, byte[] framed) {
        EventBodies current = CURRENT.get();
        current.event = event;
        current.framed = framed;
    }

    /** The forward returned: the bytes are not held beyond it. */
    static void passed() {
        passing(null, null);
    }

    /** The wire bytes {@code event} was decoded from, when they are in this build's schema; else null. */
    static byte[] framedOf(CrmEvent event) {
        EventBodies current = CURRENT.get();
        return current.event == event ? current.framed : null;
    }
}
