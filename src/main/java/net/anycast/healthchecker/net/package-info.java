/** Value types for IP prefixes and address families, parsed once at the configuration edge. */
package net.anycast.healthchecker.net;
