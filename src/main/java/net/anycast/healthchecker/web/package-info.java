/**
 * The HTTP listener: the JSON API, the status page, Server-Sent Events, hacheck's endpoints and
 * {@code /metrics}. It only reads immutable snapshots (inputs, loop and reconciler statuses) and
 * writes drains through the same spool files as the CLI; it never touches BIRD.
 */
package net.anycast.healthchecker.web;
