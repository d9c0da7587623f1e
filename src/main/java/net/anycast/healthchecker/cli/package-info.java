/**
 * The command line: the original's flags and exit codes, and the only place that ends the
 * process with {@code System.exit}.
 */
package net.anycast.healthchecker.cli;
