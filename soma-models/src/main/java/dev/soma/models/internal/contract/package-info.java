/**
 * Model contracts (dbt's {@code contract: {enforced: true}}): {@code DataTypes} reads a declared type into
 * its normal form, {@code ContractCheck} compares a query's columns with the declared ones, and
 * {@code ContractTable} gathers the declared columns and constraints into the table the engine builds
 * ({@code Engine.replaceDeclaredTable}: the SQL, and which constraints it enforces, are the engine's).
 */
package dev.soma.models.internal.contract;
