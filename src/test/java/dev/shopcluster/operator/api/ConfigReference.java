package dev.shopcluster.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Writes the configuration reference, docs/configuration.md, from the committed CRD: one row per
 * field path with its type, default, bounds and description, then the CEL validation rules with their
 * messages. Fields of embedded Kubernetes types (a pod's env, volumes, affinity, ...) are not listed one
 * by one: `kubectl explain` shows them. `make docs` runs {@link #main}; {@code ConfigReferenceTest}
 * fails when the committed reference is stale.
 */
public final class ConfigReference {

    static final Path CRD = Path.of("crds/shopclusters.shopcluster.dev-v1.yml");
    static final Path DOC = Path.of("docs/configuration.md");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Field(String path, JsonNode schema, boolean required) {}

    private record Rule(String path, JsonNode rule) {}

    private ConfigReference() {}

    public static void main(String[] args) throws IOException {
        Files.writeString(DOC, render(CRD));
    }

    static String render(Path crdFile) throws IOException {
        JsonNode crd = YAML.readTree(crdFile.toFile());
        JsonNode version = crd.at("/spec/versions/0");
        JsonNode root = version.at("/schema/openAPIV3Schema");
        StringBuilder md = new StringBuilder();
        md.append("# ShopCluster configuration reference\n\n")
                .append("<!-- Generated from ")
                .append(CRD)
                .append(" by `make docs`; do not edit. -->\n\n")
                .append("`apiVersion: ")
                .append(crd.at("/spec/group").asText())
                .append('/')
                .append(version.get("name").asText())
                .append("`, `kind: ")
                .append(crd.at("/spec/names/kind").asText())
                .append("`, namespaced; short names ")
                .append(join(crd.at("/spec/names/shortNames"), name -> "`" + name.asText() + "`"))
                .append(". `kubectl explain shop.spec.FIELD` prints the same descriptions.\n\n");

        List<Field> spec = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        collect("", root, false, spec, rules);

        md.append("## spec\n\n").append(fieldTable(spec, "spec.", true)).append('\n');
        md.append("## Validation rules\n\n")
                .append("Besides the bounds above, the API server checks these CEL rules and refuses a ShopCluster")
                .append(" that breaks one, with the message below and the field it names.\n\n")
                .append("| on | message | rule |\n|---|---|---|\n");
        for (Rule rule : rules) {
            String on = rule.path() + rule.rule().path("fieldPath").asText("");
            md.append("| ")
                    .append(on.isEmpty() ? "the resource" : code(on.replaceFirst("^\\.", "")))
                    .append(" | ")
                    .append(cell(rule.rule().get("message").asText()))
                    .append(" | ")
                    .append(code(rule.rule().get("rule").asText()))
                    .append(" |\n");
        }
        md.append("\n## status\n\nWritten only by the operator.\n\n").append(fieldTable(spec, "status.", false));

        md.append("\n## kubectl get columns\n\n| column | from | shown |\n|---|---|---|\n");
        for (JsonNode column : version.path("additionalPrinterColumns")) {
            md.append("| ")
                    .append(column.get("name").asText())
                    .append(" | ")
                    .append(code(column.get("jsonPath").asText()))
                    .append(" | ")
                    .append(column.path("priority").asInt() == 0 ? "always" : "with `-o wide`")
                    .append(" |\n");
        }
        JsonNode scale = version.at("/subresources/scale");
        md.append("\n`kubectl scale shop NAME --replicas=N` sets ")
                .append(code(scale.get("specReplicasPath").asText()))
                .append("; the scale subresource reads ")
                .append(code(scale.get("statusReplicasPath").asText()))
                .append(" and ")
                .append(code(scale.get("labelSelectorPath").asText()))
                .append(".\n");
        return md.toString();
    }

    /** Depth-first, in the CRD's (alphabetical) order: every field below {@code schema}, and every rule. */
    private static void collect(String path, JsonNode schema, boolean required, List<Field> fields, List<Rule> rules) {
        if (!path.isEmpty()) {
            fields.add(new Field(path, schema, required));
        }
        schema.path("x-kubernetes-validations").forEach(rule -> rules.add(new Rule(path, rule)));
        List<String> requiredNames = StreamSupport.stream(
                        schema.path("required").spliterator(), false)
                .map(JsonNode::asText)
                .toList();
        String prefix = path.isEmpty() ? "" : path + ".";
        // Fields of embedded Kubernetes types (env, volumes, affinity, ...) carry no description of ours:
        // the row of the field that embeds them points to `kubectl explain`, their own fields are not listed.
        schema.path("properties").fields().forEachRemaining(property -> {
            if (property.getValue().has("description")) {
                collect(
                        prefix + property.getKey(),
                        property.getValue(),
                        requiredNames.contains(property.getKey()),
                        fields,
                        rules);
            }
        });
        if (schema.has("items") && hasOwnFields(schema.get("items"))) {
            collect(path + "[]", schema.get("items"), false, fields, rules);
        }
    }

    private static boolean hasOwnFields(JsonNode schema) {
        return StreamSupport.stream(schema.path("properties").spliterator(), false)
                .anyMatch(p -> p.has("description"));
    }

    private static String fieldTable(List<Field> fields, String prefix, boolean withDefaults) {
        StringBuilder table = new StringBuilder(
                withDefaults
                        ? "| field | type | default | allowed | description |\n|---|---|---|---|---|\n"
                        : "| field | type | values | description |\n|---|---|---|---|\n");
        for (Field field : fields) {
            if (!field.path().startsWith(prefix)) {
                continue;
            }
            JsonNode schema = field.schema();
            table.append("| ")
                    .append(code(field.path()))
                    .append(" | ")
                    .append(schema.path("type").asText());
            if (withDefaults) {
                table.append(" | ")
                        .append(
                                field.required()
                                        ? "**required**"
                                        : schema.has("default") ? code(defaultValue(schema.get("default"))) : "");
            }
            table.append(" | ")
                    .append(allowed(schema))
                    .append(" | ")
                    .append(cell(schema.path("description").asText("")))
                    .append(" |\n");
        }
        return table.toString();
    }

    private static String defaultValue(JsonNode value) {
        try {
            return value.isTextual() ? value.asText() : JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Enum values, numeric bounds, length bounds, pattern and item count, as far as the schema sets them. */
    private static String allowed(JsonNode schema) {
        List<String> parts = new ArrayList<>();
        if (schema.has("enum")) {
            parts.add(join(schema.get("enum"), value -> code(value.asText())));
        }
        range(schema, "minimum", "maximum", "").ifPresent(parts::add);
        range(schema, "minLength", "maxLength", "length ").ifPresent(parts::add);
        range(schema, "minItems", "maxItems", "items ").ifPresent(parts::add);
        if (schema.has("pattern")) {
            parts.add("pattern " + code(schema.get("pattern").asText()));
        }
        return String.join("; ", parts);
    }

    private static Optional<String> range(JsonNode schema, String min, String max, String label) {
        if (!schema.has(min) && !schema.has(max)) {
            return Optional.empty();
        }
        if (!schema.has(max)) {
            return Optional.of(label + "≥ " + number(schema.get(min)));
        }
        if (!schema.has(min)) {
            return Optional.of(label + "≤ " + number(schema.get(max)));
        }
        return Optional.of(label + number(schema.get(min)) + "–" + number(schema.get(max)));
    }

    private static String number(JsonNode value) {
        return new BigDecimal(value.asText()).stripTrailingZeros().toPlainString();
    }

    private static String join(JsonNode values, Function<JsonNode, String> format) {
        return StreamSupport.stream(values.spliterator(), false).map(format).collect(Collectors.joining(", "));
    }

    /** A Markdown table cell: pipes escaped, line breaks flattened. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static String code(String text) {
        return "`" + cell(text) + "`";
    }
}
