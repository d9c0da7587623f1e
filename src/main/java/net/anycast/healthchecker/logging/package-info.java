/**
 * Logging set up in code (SLF4J over Logback, no logback.xml), with the line formats, sinks and
 * JSON keys of the original so that existing log pipelines keep parsing our output.
 *
 * <p>Per-service fields arrive through the SLF4J MDC ({@link LogFields}); CRITICAL is an ERROR
 * event carrying the {@link Severity#CRITICAL_MARKER} marker.
 */
package net.anycast.healthchecker.logging;
