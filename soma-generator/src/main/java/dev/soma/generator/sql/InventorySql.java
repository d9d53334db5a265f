package dev.soma.generator.sql;

import dev.soma.generator.sql.SqlRandom.Stream;

/**
 * {@code raw.inventory}: row {@code j} stocks one (book, warehouse) pair, chosen by a permutation of
 * all {@code 3 × books} pairs, so pairs are unique while there are at most {@code 3 × books} rows
 * (past that they repeat, cycling through the permutation).
 */
public final class InventorySql implements TableSql {

    private final Layout layout;

    public InventorySql(Layout layout) {
        this.layout = layout;
    }

    @Override
    public String table() {
        return "inventory";
    }

    @Override
    public long rows() {
        return layout.inventory;
    }

    @Override
    public String insert(long from, long to) {
        long pairs = 3 * layout.books;
        String pair = "((" + layout.inventoryA + "::HUGEINT * (j % " + pairs + ") + " + layout.inventoryB + ") % " + pairs + ")::BIGINT";
        return "INSERT INTO " + Layout.stagingTable("inventory") + " SELECT"
                + " soma_id('INV_', j + 1, " + Layout.base(layout.inventoryWidth) + "),"
                + " soma_id('BOOK_', p // 3 + 1, " + Layout.base(layout.bookWidth) + "),"
                + " 'Warehouse_' || chr((65 + p % 3)::INTEGER),"
                // 5% out of stock, the rest log-uniform 1-999
                + " CASE WHEN soma_pick(j, " + Stream.INV_STOCKOUT + ", 20) = 0 THEN 0"
                + " ELSE floor(exp(soma_u(j, " + Stream.INV_STOCK + ") * ln(1000)))::INTEGER END,"
                + " (10 + soma_pick(j, " + Stream.INV_REORDER + ", 91))::INTEGER,"
                + " " + Layout.date(layout.asOf) + " - (1 + soma_pick(j, " + Stream.INV_RESTOCK + ", 120))::INTEGER,"
                // storage cost per unit by warehouse: A 0.50-1.50, B 0.30-1.00, C 0.80-2.50
                + " soma_cents(CASE p % 3 WHEN 0 THEN 50 + soma_pick(j, " + Stream.INV_COST + ", 101)"
                + " WHEN 1 THEN 30 + soma_pick(j, " + Stream.INV_COST + ", 71)"
                + " ELSE 80 + soma_pick(j, " + Stream.INV_COST + ", 171) END),"
                + " (365 + soma_pick(j, " + Stream.INV_SHELF_LIFE + ", 3286))::INTEGER,"
                + " " + Layout.midnight(layout.asOf) + " - to_seconds(1 + soma_pick(j, " + Stream.INV_CREATED + ", 86400))"
                + " FROM (SELECT j, " + pair + " AS p FROM " + Lookups.rows("j") + ")";
    }
}
