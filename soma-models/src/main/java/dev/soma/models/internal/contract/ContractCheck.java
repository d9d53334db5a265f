package dev.soma.models.internal.contract;

import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
import dev.soma.models.error.ContractException;
import dev.soma.models.error.ContractException.Mismatch;
import dev.soma.models.internal.project.ModelNode;
import dev.soma.models.internal.project.SchemaFile.ColumnEntry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares a model's query with its enforced contract before anything is built, as dbt does: column
 * names match whatever their case and order; types match in their {@linkplain DataTypes normal form},
 * a decimal's precision and scale aside (the contracted table has the declared ones, and the insert casts).
 */
public final class ContractCheck {

    private ContractCheck() {
    }

    /**
     * @throws ContractException naming each column that is missing, extra or of another type
     */
    public static void verify(ModelNode model, String sql, Session session, SqlOwner owner) {
        Map<String, String> actual = new LinkedHashMap<>();
        // The engine plans the query and runs nothing.
        session.engine().describeQuery(session, owner, sql).forEach(column -> actual.put(column.name(), column.type()));
        List<Mismatch> mismatches = compare(model.columns(), actual);
        if (!mismatches.isEmpty()) {
            throw new ContractException(model.name(), model.path(), mismatches);
        }
    }

    /** The mismatches between declared columns and {@code actual} (name to the engine's type), in declared then query order. */
    public static List<Mismatch> compare(List<ColumnEntry> declared, Map<String, String> actual) {
        Map<String, String> actualByKey = new LinkedHashMap<>();
        Map<String, String> actualNames = new LinkedHashMap<>();
        actual.forEach((name, type) -> {
            actualByKey.put(name.toLowerCase(Locale.ROOT), type);
            actualNames.put(name.toLowerCase(Locale.ROOT), name);
        });
        List<Mismatch> mismatches = new ArrayList<>();
        List<String> declaredKeys = new ArrayList<>();
        for (ColumnEntry column : declared) {
            String key = column.name().toLowerCase(Locale.ROOT);
            declaredKeys.add(key);
            String contractType = DataTypes.normalise(column.dataType()).orElse(column.dataType());
            String definitionType = actualByKey.get(key);
            if (definitionType == null) {
                mismatches.add(new Mismatch(column.name(), null, contractType, "missing in definition"));
            } else if (!comparable(definitionType).equals(comparable(contractType))) {
                mismatches.add(new Mismatch(column.name(), definitionType, contractType, "data type mismatch"));
            }
        }
        actualByKey.forEach((key, type) -> {
            if (!declaredKeys.contains(key)) {
                mismatches.add(new Mismatch(actualNames.get(key), type, null, "missing in contract"));
            }
        });
        return mismatches;
    }

    private static String comparable(String type) {
        String normal = DataTypes.normalise(type).orElse(type.toUpperCase(Locale.ROOT));
        return normal.startsWith("DECIMAL(") ? "DECIMAL" : normal;
    }
}
