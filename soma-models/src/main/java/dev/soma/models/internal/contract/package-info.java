/**
 * Model contracts (dbt's {@code contract: {enforced: true}}): {@code DataTypes} reads a declared type into
 * its normal form, {@code ContractCheck} compares a query's columns with the declared ones, and
 * {@code ContractSql} holds the DuckDB SQL (describe a query, create a table with its constraints).
 */
package dev.soma.models.internal.contract;
