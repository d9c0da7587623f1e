/**
 * Operator overrides: what a person, not a health check, says about a service.
 *
 * <p>Today that is a drain: a file in a spool directory that Yelp's hacheck (and its
 * {@code hadown}/{@code haup} tools) also understand, so operators keep their scripts. A drained
 * service is withdrawn whatever its health. {@link net.anycast.healthchecker.override.SpoolDirectory}
 * reads and writes the files, {@link net.anycast.healthchecker.override.SpoolWatcher} turns the
 * directory into a stream of {@link net.anycast.healthchecker.override.Drains} snapshots for the
 * daemon's inputs. A fleet-wide valve (holding many hosts at once) is meant to live here later.
 *
 * <p>The file format is parsed by hand ({@link net.anycast.healthchecker.override.FlatJsonObject}):
 * the project adds no dependencies, and a spool file is one flat JSON object.
 */
package net.anycast.healthchecker.override;
