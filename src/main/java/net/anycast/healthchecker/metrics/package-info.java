/**
 * Prometheus metrics with the original's names ({@code anycast_healthchecker_…}), read from
 * immutable samples at scrape time, exported as the textfile-collector file and, optionally,
 * over HTTP on {@code /metrics}.
 */
package net.anycast.healthchecker.metrics;
