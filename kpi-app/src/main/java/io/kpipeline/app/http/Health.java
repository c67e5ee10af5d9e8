package io.kpipeline.app.http;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The health document and whether the instance is ready to answer queries. */
public record Health(boolean up, ObjectNode document) {
}
