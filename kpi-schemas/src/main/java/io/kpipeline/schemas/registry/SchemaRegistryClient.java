package io.kpipeline.schemas.registry;

import java.io.Closeable;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The client side of the Confluent Schema Registry protocol that the serdes need. Implementations
 * cache what never changes (a schema by id, the id of a registered schema), so steady-state
 * serialization makes no remote calls.
 *
 * <p>Failures are {@link SchemaRegistryException}s carrying the registry's status and error code.
 */
public interface SchemaRegistryClient extends Closeable {

    /** Registers {@code schema} under {@code subject} (a no-op if already there) and returns its global id. */
    int register(String subject, Schema schema);

    /** The id of {@code schema} if it is already registered under {@code subject}. */
    Optional<RegisteredSchema> lookup(String subject, Schema schema);

    /** The schema with this global id; 404/40403 if there is none. */
    Schema schemaById(int id);

    /** The latest version of a subject; 404/40401 if the subject does not exist. */
    RegisteredSchema latest(String subject);

    /** All versions of a subject, oldest first. */
    List<Integer> versions(String subject);

    /** All subjects. */
    List<String> subjects();

    /** Whether {@code schema} could be registered under {@code subject} at the subject's compatibility level. */
    boolean isCompatible(String subject, Schema schema);

    /** Sets the compatibility level of one subject, or the global default when {@code subject} is null. */
    void setCompatibility(String subject, CompatibilityLevel level);

    /** The compatibility level of one subject (falling back to the global one), or the global one when null. */
    CompatibilityLevel compatibility(String subject);

    @Override
    default void close() {
    }
}
