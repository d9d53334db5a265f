package dev.soma.models.api;

/**
 * One relation of a write-audit-publish build: the live name readers use and the shadow it is built
 * into first.
 *
 * @param model  the model or seed
 * @param live   the relation readers see, e.g. {@code analytics.fact_sales}
 * @param shadow where the build and its tests happen, e.g. {@code analytics.fact_sales__audit}
 * @param kind   {@value #TABLE} (renamed over the live one on publish), {@value #VIEW} (recreated on the live
 *               names) or {@value #INCREMENT} (an incremental model's increment, kept beside the live table; the
 *               shadow is a view reading as the live table with it applied, and publishing applies it there)
 */
public record ShadowRelation(String model, Relation live, Relation shadow, String kind) {

    public static final String TABLE = "table";
    public static final String VIEW = "view";
    public static final String INCREMENT = "increment";

    public boolean isView() {
        return VIEW.equals(kind);
    }

    public boolean isIncrement() {
        return INCREMENT.equals(kind);
    }
}
