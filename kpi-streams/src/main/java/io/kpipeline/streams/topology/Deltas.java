package io.kpipeline.streams.topology;

/** A {@code kpi-deltas} record's value on its way out of the entity stage (see {@link io.kpipeline.streams.aggregate.DeltaBatch}). */
record Deltas(byte[] bytes) {
}
