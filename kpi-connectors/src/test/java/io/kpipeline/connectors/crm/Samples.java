package io.kpipeline.connectors.crm;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.connectors.webhook.WebhookRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The documented CRM payload samples under {@code src/test/resources/crm} and the test mapping. */
public final class Samples {
    private Samples() {
    }

    public static byte[] bytes(String name) {
        try (InputStream in = Samples.class.getResourceAsStream("/crm/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static CrmMapping mapping() {
        try {
            return CrmMapping.load(Path.of(Samples.class.getResource("/crm/mapping-test.yaml").toURI()));
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static WebhookRequest post(String url, Map<String, String> headers, byte[] body) {
        return new WebhookRequest("POST", url, headers, body);
    }

    /** "Type(field=value, …)" of each event, for compact assertions. */
    public static List<String> describe(List<CrmEvent> events) {
        return events.stream().map(e -> e.getType() + "@" + e.getOccurredAt() + " " + e.getPayload()).toList();
    }
}
