/**
 * Write-audit-publish: a build into shadow relations next to the live ones, its tests run there, and
 * one transaction that makes all of it live (docs/publishing.md).
 */
package dev.soma.models.internal.publish;
