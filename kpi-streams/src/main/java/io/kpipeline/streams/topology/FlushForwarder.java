package io.kpipeline.streams.topology;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;

/**
 * Lets a processor forward records while Kafka Streams flushes its stores before a commit, as Kafka Streams' own
 * caching stores do when they forward what they buffered: the records then belong to the transaction that commits
 * the state they came from. A store flush runs outside any processor, so the processor's node and a record context
 * are set for the time of the forward (the public API has no pre-commit hook).
 */
final class FlushForwarder {
    private final InternalProcessorContext<?, ?> context;
    private final ProcessorNode<?, ?, ?, ?> node;

    /** Call from the processor's {@code init}, where its node is the current one. */
    FlushForwarder(ProcessorContext<?, ?> context) {
        // a test's mock context forwards from anywhere
        this.context = context instanceof InternalProcessorContext<?, ?> internal ? internal : null;
        this.node = this.context == null ? null : this.context.currentNode();
    }

    void run(Runnable forwarding) {
        if (context == null) {
            forwarding.run();
            return;
        }
        ProcessorNode<?, ?, ?, ?> previousNode = context.currentNode();
        ProcessorRecordContext previous = context.recordContext();
        context.setCurrentNode(node);
        context.setRecordContext(new ProcessorRecordContext(context.currentSystemTimeMs(), -1, -1, null, new RecordHeaders()));
        try {
            forwarding.run();
        } finally {
            context.setRecordContext(previous);
            context.setCurrentNode(previousNode);
        }
    }
}
