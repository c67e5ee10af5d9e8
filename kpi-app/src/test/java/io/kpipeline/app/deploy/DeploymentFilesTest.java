package io.kpipeline.app.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kpipeline.app.config.KpiConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What can be checked of the deployment files without a Docker engine or a Kubernetes cluster (this machine has
 * neither): that they parse, that every {@code KPI_*} variable names a real setting, and that the pieces refer to
 * each other correctly (the services, the selectors, the volume, the probes, the advertised names).
 */
class DeploymentFilesTest {
    private static final Path ROOT = Path.of("..");
    private static final ObjectMapper YAML = new YAMLMapper();

    @Test
    void composeRunsKafkaARealSchemaRegistryAndTwoInstancesBuiltFromTheProject() throws IOException {
        JsonNode compose = YAML.readTree(ROOT.resolve("docker-compose.yml").toFile());
        JsonNode services = compose.get("services");
        assertThat(services.get("kafka").get("image").asText()).startsWith("apache/kafka:");
        assertThat(services.get("kafka").get("environment").get("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        assertThat(services.get("schema-registry").get("image").asText()).startsWith("confluentinc/cp-schema-registry:");
        List<String> instances = new ArrayList<>();
        services.fieldNames().forEachRemaining(name -> {
            if (services.get(name).has("build")) {
                instances.add(name);
            }
        });
        assertThat(instances).hasSize(2);
        Set<String> hostPorts = new HashSet<>();
        Set<String> volumes = new HashSet<>();
        for (String name : instances) {
            JsonNode s = services.get(name);
            assertThat(ROOT.resolve(s.get("build").get("context").asText()).resolve(s.get("build").get("dockerfile").asText())).isRegularFile();
            JsonNode env = s.get("environment");
            env.fieldNames().forEachRemaining(var -> assertThat(KpiConfig.isSetting(setting(var))).as(name + ": " + var).isTrue());
            // and the values pass the configuration's own checks, as the instance would load them
            Map<String, String> variables = new HashMap<>();
            env.fields().forEachRemaining(e -> variables.put(e.getKey(), e.getValue().asText()));
            KpiConfig.load(null, variables, List.of(), Map.of());
            // the name the other instance forwards queries to is this service's own
            assertThat(env.get("KPI_ADVERTISED_HOST").asText()).isEqualTo(name);
            assertThat(env.get("KPI_APPLICATION_ID").asText()).isEqualTo("kpi-pipeline");
            assertThat(env.get("KPI_BOOTSTRAP_SERVERS").asText()).isEqualTo("kafka:9092");
            assertThat(env.get("KPI_SCHEMA_REGISTRY").asText()).isEqualTo("http://schema-registry:8081");
            assertThat(s.get("healthcheck").get("test").toString()).contains("/health");
            hostPorts.add(s.get("ports").get(0).asText().split(":")[0]);
            String volume = s.get("volumes").get(0).asText().split(":")[0];
            assertThat(compose.get("volumes").has(volume)).as(volume).isTrue();
            volumes.add(volume);
        }
        assertThat(hostPorts).as("host ports").hasSize(2);
        assertThat(volumes).as("a state volume each").hasSize(2);
    }

    @Test
    void kubernetesStatefulSetWithAVolumePerInstanceHeadlessServiceAndReadinessOnHealth() throws IOException {
        Map<String, JsonNode> byKind = new HashMap<>();
        List<JsonNode> services = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(ROOT.resolve("deploy/k8s/kpi-pipeline.yaml").toFile())) {
            for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                JsonNode doc = it.next();
                assertThat(doc.path("apiVersion").asText()).as("apiVersion of " + doc.path("kind")).isNotBlank();
                assertThat(doc.path("metadata").path("name").asText()).as("name of " + doc.path("kind")).isNotBlank();
                if (doc.path("kind").asText().equals("Service")) {
                    services.add(doc);
                }
                byKind.put(doc.path("kind").asText(), doc);
            }
        }
        assertThat(byKind).containsKeys("ConfigMap", "Service", "StatefulSet", "PodDisruptionBudget");
        JsonNode sts = byKind.get("StatefulSet");
        assertThat(sts.get("apiVersion").asText()).isEqualTo("apps/v1");
        JsonNode spec = sts.get("spec");
        assertThat(spec.get("replicas").asInt()).isGreaterThanOrEqualTo(2);
        JsonNode podLabels = spec.get("template").get("metadata").get("labels");
        assertThat(spec.get("selector").get("matchLabels")).isEqualTo(podLabels);

        JsonNode headless = services.stream().filter(s -> s.get("metadata").get("name").asText().equals(spec.get("serviceName").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no Service named as the StatefulSet's serviceName"));
        assertThat(headless.get("spec").get("clusterIP").asText()).isEqualTo("None");
        assertThat(services).anyMatch(s -> !s.get("spec").has("clusterIP"));
        for (JsonNode s : services) {
            assertThat(matches(s.get("spec").get("selector"), podLabels)).as(s.get("metadata").get("name").asText()).isTrue();
        }

        JsonNode container = spec.get("template").get("spec").get("containers").get(0);
        Set<String> portNames = new HashSet<>();
        container.get("ports").forEach(p -> portNames.add(p.get("name").asText()));
        assertThat(container.get("readinessProbe").get("httpGet").get("path").asText()).isEqualTo("/health");
        assertThat(portNames).contains(container.get("readinessProbe").get("httpGet").get("port").asText());
        for (JsonNode s : services) {
            s.get("spec").get("ports").forEach(p -> assertThat(portNames).contains(p.get("targetPort").asText()));
        }
        assertThat(container.get("resources").get("requests").has("memory")).isTrue();
        assertThat(container.get("resources").get("limits").has("memory")).isTrue();

        // the state directory on a volume of its own per instance
        String dataDir = byKind.get("ConfigMap").get("data").get("KPI_DATA_DIR").asText();
        JsonNode mount = container.get("volumeMounts").get(0);
        assertThat(mount.get("mountPath").asText()).isEqualTo(dataDir);
        assertThat(spec.get("volumeClaimTemplates").get(0).get("metadata").get("name").asText()).isEqualTo(mount.get("name").asText());

        // settings: every variable is one; the advertised name is the pod's on the headless service
        byKind.get("ConfigMap").get("data").fieldNames().forEachRemaining(var -> assertThat(KpiConfig.isSetting(setting(var))).as(var).isTrue());
        Map<String, String> configured = new HashMap<>();
        byKind.get("ConfigMap").get("data").fields().forEachRemaining(e -> configured.put(e.getKey(), e.getValue().asText()));
        KpiConfig.load(null, configured, List.of(), Map.of()); // the values pass the configuration's own checks
        Map<String, JsonNode> env = new HashMap<>();
        container.get("env").forEach(e -> env.put(e.get("name").asText(), e));
        env.keySet().stream().filter(v -> v.startsWith("KPI_")).forEach(v -> assertThat(KpiConfig.isSetting(setting(v))).as(v).isTrue());
        assertThat(env.get("KPI_ADVERTISED_HOST").get("value").asText()).isEqualTo("$(POD_NAME)." + headless.get("metadata").get("name").asText());
        assertThat(env.get("POD_NAME").get("valueFrom").get("fieldRef").get("fieldPath").asText()).isEqualTo("metadata.name");
        assertThat(nameOrder(container).indexOf("POD_NAME")).as("POD_NAME defined before it is used")
                .isLessThan(nameOrder(container).indexOf("KPI_ADVERTISED_HOST"));
        assertThat(env.get("KPI_API_TOKEN").get("valueFrom").get("secretKeyRef").get("optional").asBoolean()).isTrue();
        assertThat(byKind.get("ConfigMap").get("data").get("KPI_HOST").asText()).isEqualTo("0.0.0.0");
    }

    private static List<String> nameOrder(JsonNode container) {
        List<String> names = new ArrayList<>();
        container.get("env").forEach(e -> names.add(e.get("name").asText()));
        return names;
    }

    private static boolean matches(JsonNode selector, JsonNode labels) {
        for (var it = selector.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** The setting a variable names, by the configuration's own rule; every variable here must be one. */
    private static String setting(String variable) {
        String setting = KpiConfig.settingOf(variable);
        assertThat(setting).as(variable + " is a setting's variable").isNotNull();
        return setting;
    }
}
