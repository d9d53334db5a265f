package dev.soma.generator;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The five tables the generator writes into schema {@value #SCHEMA}, with their exact columns and
 * DuckDB types, in generation order. Column names and types follow the SOMA pipeline documentation;
 * where it says only {@code DECIMAL}, money is {@code DECIMAL(10,2)} per unit, {@code DECIMAL(12,2)}
 * for totals and spend, and percentages {@code DECIMAL(5,2)}.
 */
public enum RawTable {

    BOOKS("books", 100, List.of(
            new Column("book_id", "VARCHAR"),
            new Column("isbn", "VARCHAR"),
            new Column("title", "VARCHAR"),
            new Column("author", "VARCHAR"),
            new Column("publisher_id", "VARCHAR"),
            new Column("genre", "VARCHAR"),
            new Column("publication_year", "INTEGER"),
            new Column("page_count", "INTEGER"),
            new Column("price", "DECIMAL(10,2)"),
            new Column("format", "VARCHAR"),
            new Column("language", "VARCHAR"),
            new Column("created_at", "TIMESTAMP"))),

    PUBLISHERS("publishers", 10, List.of(
            new Column("publisher_id", "VARCHAR"),
            new Column("publisher_name", "VARCHAR"),
            new Column("publisher_type", "VARCHAR"),
            new Column("country", "VARCHAR"),
            new Column("established_year", "INTEGER"),
            new Column("total_titles", "INTEGER"),
            new Column("active_status", "VARCHAR"),
            new Column("created_at", "TIMESTAMP"))),

    SALES("sales", 100, List.of(
            new Column("transaction_id", "VARCHAR"),
            new Column("book_id", "VARCHAR"),
            new Column("sale_date", "DATE"),
            new Column("quantity", "INTEGER"),
            new Column("unit_price", "DECIMAL(10,2)"),
            new Column("discount_percent", "DECIMAL(5,2)"),
            new Column("total_amount", "DECIMAL(12,2)"),
            new Column("channel", "VARCHAR"),
            new Column("customer_type", "VARCHAR"),
            new Column("region", "VARCHAR"),
            new Column("created_at", "TIMESTAMP"))),

    INVENTORY("inventory", 50, List.of(
            new Column("inventory_id", "VARCHAR"),
            new Column("book_id", "VARCHAR"),
            new Column("warehouse_location", "VARCHAR"),
            new Column("stock_quantity", "INTEGER"),
            new Column("reorder_point", "INTEGER"),
            new Column("last_restock_date", "DATE"),
            new Column("storage_cost_per_unit", "DECIMAL(10,2)"),
            new Column("shelf_life_days", "INTEGER"),
            new Column("created_at", "TIMESTAMP"))),

    CAMPAIGN_EVENTS("campaign_events", 50, List.of(
            new Column("campaign_id", "VARCHAR"),
            new Column("experiment_id", "VARCHAR"),
            new Column("treatment_group", "VARCHAR"),
            new Column("impressions", "INTEGER"),
            new Column("clicks", "INTEGER"),
            new Column("spend", "DECIMAL(12,2)"),
            new Column("campaign_date", "DATE"),
            new Column("created_at", "TIMESTAMP")));

    /** The schema every generated table lives in. */
    public static final String SCHEMA = "raw";

    private final String tableName;
    private final long baseRows;
    private final List<Column> columns;

    RawTable(String tableName, long baseRows, List<Column> columns) {
        this.tableName = tableName;
        this.baseRows = baseRows;
        this.columns = columns;
    }

    /** The table's name in schema {@value #SCHEMA}, e.g. {@code campaign_events}. */
    public String tableName() {
        return tableName;
    }

    /** {@code raw.name}, for messages. */
    public String qualifiedName() {
        return SCHEMA + "." + tableName;
    }

    /** Rows at scale 1. */
    public long baseRows() {
        return baseRows;
    }

    /** The columns, in order. */
    public List<Column> columns() {
        return columns;
    }

    /** The column list for {@code CREATE TABLE}: {@code book_id VARCHAR, isbn VARCHAR, ...}. */
    public String columnDefinitions() {
        return columns.stream().map(c -> c.name() + " " + c.type()).collect(Collectors.joining(", "));
    }

    /**
     * One column of a raw table.
     *
     * @param name the column name
     * @param type the DuckDB type, as {@code information_schema.columns.data_type} spells it
     */
    public record Column(String name, String type) {
    }
}
