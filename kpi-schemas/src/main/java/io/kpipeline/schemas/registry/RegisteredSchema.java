package io.kpipeline.schemas.registry;

import org.apache.avro.Schema;

/** A schema as one version of a subject, with its global id. */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {
}
