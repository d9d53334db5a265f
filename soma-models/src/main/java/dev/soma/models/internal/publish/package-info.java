/**
 * Write-audit-publish: a build into shadow relations next to the live ones, its tests run there, and
 * one transaction that makes all of it live (docs/publishing.md). The verbs ({@code build --publish/--audit},
 * {@code publish}, {@code --discard}, the history) are {@link dev.soma.models.internal.publish.WriteAuditPublish}.
 */
package dev.soma.models.internal.publish;
