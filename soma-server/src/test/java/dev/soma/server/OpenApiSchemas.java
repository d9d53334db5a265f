package dev.soma.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.soma.core.runstore.NodeRecord;
import dev.soma.ingest.LoadResult;
import dev.soma.jobs.EnqueueResult;
import dev.soma.jobs.Job;
import dev.soma.jobs.JobError;
import dev.soma.jobs.JobPage;
import dev.soma.jobs.Worker;
import dev.soma.models.api.WindowRecord;
import dev.soma.server.internal.handler.DataHandler;
import dev.soma.server.internal.handler.HealthHandler;
import dev.soma.server.internal.handler.JobsHandler;
import dev.soma.server.internal.handler.LoadsHandler;
import dev.soma.server.internal.handler.ModelsHandler;
import dev.soma.server.internal.handler.PublishHandler;
import dev.soma.server.internal.handler.RunsHandler;
import dev.soma.server.internal.handler.StatsHandler;
import dev.soma.server.internal.handler.WindowsHandler;
import dev.soma.server.internal.http.ApiError;
import dev.soma.server.internal.lineage.LineageLayout;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI {@code components.schemas} of every answer, derived from the records the handlers answer with (the
 * same way Jackson writes them: snake_case names, instants as strings, {@code NON_NULL} members optional). The
 * test {@code OpenApiIT} checks that {@code openapi.json} holds exactly these; {@code main(path)} rewrites them
 * into the document after a record changed.
 */
final class OpenApiSchemas {

    /** Schema name -> record; nested records must be listed too. */
    static final Map<String, Class<?>> RECORDS = new LinkedHashMap<>();

    static {
        RECORDS.put("Error", ApiError.class);
        RECORDS.put("Health", HealthHandler.Health.class);
        RECORDS.put("Database", HealthHandler.Database.class);
        RECORDS.put("Stats", StatsHandler.Stats.class);
        RECORDS.put("RunStats", StatsHandler.RunStats.class);
        RECORDS.put("LoadStats", StatsHandler.LoadStats.class);
        RECORDS.put("JobStats", StatsHandler.JobStats.class);
        RECORDS.put("RunList", RunsHandler.RunList.class);
        RECORDS.put("RunSummary", RunsHandler.RunSummary.class);
        RECORDS.put("RunDetail", RunsHandler.RunDetail.class);
        RECORDS.put("NodeRecord", NodeRecord.class);
        RECORDS.put("ModelList", ModelsHandler.ModelList.class);
        RECORDS.put("ModelSummary", ModelsHandler.ModelSummary.class);
        RECORDS.put("ModelDetail", ModelsHandler.ModelDetail.class);
        RECORDS.put("ColumnDetail", ModelsHandler.ColumnDetail.class);
        RECORDS.put("TestDetail", ModelsHandler.TestDetail.class);
        RECORDS.put("DataPage", DataHandler.DataPage.class);
        RECORDS.put("DataColumn", DataHandler.Column.class);
        RECORDS.put("JobPage", JobPage.class);
        RECORDS.put("Job", Job.class);
        RECORDS.put("JobError", JobError.class);
        RECORDS.put("EnqueueResult", EnqueueResult.class);
        RECORDS.put("DrainCounts", Worker.Counts.class);
        RECORDS.put("Retried", JobsHandler.Retried.class);
        RECORDS.put("LoadList", LoadsHandler.LoadList.class);
        RECORDS.put("LoadResult", LoadResult.class);
        RECORDS.put("WindowList", WindowsHandler.WindowList.class);
        RECORDS.put("WindowCounts", WindowsHandler.Counts.class);
        RECORDS.put("WindowRecord", WindowRecord.class);
        RECORDS.put("Published", PublishHandler.Published.class);
        RECORDS.put("PublishedRelation", PublishHandler.Relation.class);
        RECORDS.put("LineageLayout", LineageLayout.Layout.class);
        RECORDS.put("LayoutLayer", LineageLayout.Layer.class);
        RECORDS.put("LayoutNode", LineageLayout.PlacedNode.class);
        RECORDS.put("LayoutEdge", LineageLayout.RoutedEdge.class);
        RECORDS.put("Point", LineageLayout.Point.class);
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private OpenApiSchemas() {
    }

    static ObjectNode schemas() {
        ObjectNode schemas = JSON.createObjectNode();
        RECORDS.forEach((name, type) -> schemas.set(name, schema(type)));
        return schemas;
    }

    private static ObjectNode schema(Class<?> record) {
        if (!record.isRecord()) {
            throw new IllegalArgumentException(record + " is not a record");
        }
        ObjectNode schema = JSON.createObjectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = JSON.createArrayNode();
        boolean nonNull = include(record.getAnnotation(JsonInclude.class)) == JsonInclude.Include.NON_NULL;
        for (RecordComponent component : record.getRecordComponents()) {
            String name = PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(component.getName());
            JsonInclude.Include own = include(component.getAccessor().getAnnotation(JsonInclude.class));
            boolean omittedWhenNull = own != null ? own == JsonInclude.Include.NON_NULL : nonNull;
            ObjectNode property = type(component.getGenericType());
            if (!component.getType().isPrimitive() && !omittedWhenNull) {
                property.put("nullable", true);
            }
            properties.set(name, property);
            if (component.getType().isPrimitive() || !omittedWhenNull) {
                required.add(name);
            }
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        return schema;
    }

    private static JsonInclude.Include include(JsonInclude annotation) {
        return annotation == null ? null : annotation.value();
    }

    private static ObjectNode type(Type type) {
        ObjectNode node = JSON.createObjectNode();
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            if (List.class.isAssignableFrom(raw)) {
                node.put("type", "array").set("items", type(parameterized.getActualTypeArguments()[0]));
                return node;
            }
            if (Map.class.isAssignableFrom(raw)) {
                Type value = parameterized.getActualTypeArguments()[1];
                node.put("type", "object");
                if (value == Object.class) {
                    node.set("additionalProperties", JSON.createObjectNode());
                } else {
                    node.set("additionalProperties", type(value));
                }
                return node;
            }
            throw new IllegalArgumentException("no schema for " + type);
        }
        Class<?> cls = (Class<?>) type;
        if (cls == String.class) {
            node.put("type", "string");
        } else if (cls == Instant.class) {
            node.put("type", "string").put("format", "date-time");
        } else if (cls == int.class || cls == Integer.class) {
            node.put("type", "integer").put("format", "int32");
        } else if (cls == long.class || cls == Long.class || cls == Duration.class) {
            node.put("type", "integer").put("format", "int64");
        } else if (cls == double.class || cls == Double.class || cls == float.class || cls == Float.class) {
            node.put("type", "number");
        } else if (cls == boolean.class || cls == Boolean.class) {
            node.put("type", "boolean");
        } else if (cls.isEnum()) {
            ArrayNode values = node.put("type", "string").putArray("enum");
            for (Object constant : cls.getEnumConstants()) {
                values.add(((Enum<?>) constant).name());
            }
        } else if (cls.isRecord()) {
            String name = RECORDS.entrySet().stream().filter(entry -> entry.getValue() == cls).map(Map.Entry::getKey)
                    .findFirst().orElseThrow(() -> new IllegalArgumentException(cls + " is not in RECORDS"));
            // OpenAPI 3.0 ignores siblings of $ref, so a nullable reference is an allOf of one.
            node.putArray("allOf").addObject().put("$ref", "#/components/schemas/" + name);
        } else {
            throw new IllegalArgumentException("no schema for " + cls);
        }
        return node;
    }

    /** Rewrites {@code components.schemas} of the document at {@code args[0]}. */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        ObjectNode document = (ObjectNode) JSON.readTree(Files.readString(file));
        ((ObjectNode) document.get("components")).set("schemas", schemas());
        Files.writeString(file, JSON.writeValueAsString(document) + "\n");
    }
}
