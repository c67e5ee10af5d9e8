package io.kpipeline.connectors.crm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpipeline.avro.CrmEvent;
import io.kpipeline.schemas.event.EventJson;
import io.kpipeline.schemas.event.InvalidEventException;
import io.kpipeline.schemas.part.EventPart;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * What one CRM delivery translates to: canonical events (each checked against the event contract), parts of events
 * that only several items make (assembled by the engine), items that
 * cannot be translated (each with its reason and raw text, for the dead-letter topic), and items that are
 * understood but carry nothing the KPIs use (counted, not forwarded).
 */
public final class Translation {
    /** An item of the delivery that became no event, and why; {@code index} is its place in the delivery. */
    public record Rejected(int index, InvalidEventException reason, byte[] raw) {
    }

    private final List<CrmEvent> events = new ArrayList<>();
    /** the delivery item each event came from */
    private final List<Integer> eventItems = new ArrayList<>();
    private final List<Rejected> rejected = new ArrayList<>();
    private final List<EventPart> parts = new ArrayList<>();
    private int ignored;

    /** Adds a canonical event as JSON; one that breaks the contract is rejected with the item it came from. */
    public void add(ObjectNode event, int index, String raw) {
        try {
            events.add(EventJson.fromTree(event));
            eventItems.add(index);
        } catch (InvalidEventException e) {
            reject(index, e, raw);
        }
    }

    public void reject(int index, InvalidEventException reason, String raw) {
        rejected.add(new Rejected(index, reason, raw.getBytes(StandardCharsets.UTF_8)));
    }

    public void reject(int index, String code, String message, String raw) {
        reject(index, new InvalidEventException(code, message), raw);
    }

    /**
     * Takes back the events that cannot be delivered after all ({@code why} gives the reason, null for an event that
     * can): each becomes a rejected item of the delivery, with its reason and the event as JSON for its raw text.
     */
    public void refuseWhere(Function<CrmEvent, InvalidEventException> why) {
        for (int i = 0; i < events.size(); ) {
            InvalidEventException reason = why.apply(events.get(i));
            if (reason == null) {
                i++;
                continue;
            }
            CrmEvent event = events.remove(i);
            rejected.add(new Rejected(eventItems.remove(i), reason, EventJson.write(event).getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** Adds a part of an event that the engine's assembly completes from several items (see {@link EventPart}). */
    public void part(EventPart part) {
        parts.add(part);
    }

    public List<EventPart> parts() {
        return Collections.unmodifiableList(parts);
    }

    public void ignore() {
        ignored++;
    }

    public List<CrmEvent> events() {
        return Collections.unmodifiableList(events);
    }

    public List<Rejected> rejected() {
        return Collections.unmodifiableList(rejected);
    }

    public int ignored() {
        return ignored;
    }
}
