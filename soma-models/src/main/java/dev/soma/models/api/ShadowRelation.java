package dev.soma.models.api;

/**
 * One relation of a write-audit-publish build: the live name readers use and the shadow it is built
 * into first.
 *
 * @param model  the model or seed
 * @param live   the relation readers see, e.g. {@code analytics.fact_sales}
 * @param shadow where the build and its tests happen, e.g. {@code analytics.fact_sales__audit}
 * @param kind   {@code table} (renamed over the live one on publish) or {@code view} (recreated on the live names)
 */
public record ShadowRelation(String model, Relation live, Relation shadow, String kind) {

    public boolean isView() {
        return "view".equals(kind);
    }
}
