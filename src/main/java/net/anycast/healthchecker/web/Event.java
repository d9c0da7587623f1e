package net.anycast.healthchecker.web;

/**
 * One Server-Sent Event.
 *
 * @param id the stream position; a client that reconnects sends the last it saw
 * @param type {@code health}, {@code drain}, {@code undrain}, {@code services}, {@code stopping},
 *     {@code reconfigure}, {@code bird} or {@code resync}
 * @param json the event's data, one line of JSON
 */
record Event(long id, String type, String json) {
  /** Returns the event as it goes on the wire. */
  String wire() {
    return "id: " + id + "\nevent: " + type + "\ndata: " + json + "\n\n";
  }
}
