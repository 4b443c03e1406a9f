package dev.airlock.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code docs/workflow.schema.json} against every workflow in the docs and the test resources: the
 * examples and every validation case whose fault is in the graph (not the shape) must pass it; the
 * cases marked {@code # shape: invalid} must fail it, so the schema is neither too loose nor too strict.
 */
class WorkflowSchemaTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern DOC_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);
    private static JsonSchema schema;

    @BeforeAll
    static void load() throws IOException {
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(Files.readString(Path.of("docs/workflow.schema.json")));
    }

    static Set<ValidationMessage> check(String text) throws IOException {
        JsonNode doc = YAML.readTree(text);
        return schema.validate(doc);
    }

    @TestFactory
    Stream<DynamicTest> docsExamples_validate() throws IOException {
        String doc = Files.readString(Path.of("docs/workflows.md"));
        Matcher m = DOC_BLOCK.matcher(doc);
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            if (m.group(1).contains("nodes:")) {
                blocks.add(m.group(1));
            }
        }
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(2);
        return blocks.stream().map(b -> DynamicTest.dynamicTest("docs/workflows.md block " + (blocks.indexOf(b) + 1), () -> {
            assertThat(check(b)).isEmpty();
            assertThat(WorkflowLoader.parse(b, "docs")).isNotNull();
        }));
    }

    @TestFactory
    Stream<DynamicTest> resources_matchTheirShape() throws IOException {
        List<Path> all = new ArrayList<>(WorkflowValidationTest.files(WorkflowValidationTest.EXAMPLES));
        all.addAll(WorkflowValidationTest.files(WorkflowValidationTest.CASES));
        return all.stream().map(f -> DynamicTest.dynamicTest(f.toString(), () -> {
            String text = Files.readString(f);
            boolean shapeInvalid = WorkflowValidationTest.header(text, "shape").equals("invalid");
            Set<ValidationMessage> errors = check(text);
            if (shapeInvalid) {
                assertThat(errors).as("schema errors for " + f).isNotEmpty();
            } else {
                assertThat(errors).as("schema errors for " + f).isEmpty();
            }
        }));
    }
}
