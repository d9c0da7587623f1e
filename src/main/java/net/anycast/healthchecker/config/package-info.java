/**
 * Configuration: an INI reader with Python configparser semantics, and the validation that
 * turns its sections into typed, immutable records, reporting every mistake at once.
 */
package net.anycast.healthchecker.config;
