/**
 * dbt's node selection syntax: {@code name}, {@code +name}, {@code name+}, {@code 2+name},
 * {@code name+1}, {@code @name}, {@code tag:x}, {@code path:dir}, {@code config.materialized:table},
 * {@code source:raw}, {@code resource_type:model}; space is union, comma is intersection.
 */
package dev.soma.models.internal.selection;
