package net.anycast.healthchecker.web;

/** A request the API refuses: the status to answer and the message for {@code {"error": …}}. */
final class HttpError extends Exception {
  private final int status;
  private final String allow; // the Allow header a 405 must carry (RFC 9110 15.5.6); else null

  HttpError(int status, String message) {
    this(status, message, null);
  }

  private HttpError(int status, String message, String allow) {
    super(message, null, false, false);
    this.status = status;
    this.allow = allow;
  }

  int status() {
    return status;
  }

  /** Returns the methods allowed, for the {@code Allow} header of a 405; null otherwise. */
  String allow() {
    return allow;
  }

  static HttpError notFound(String what) {
    return new HttpError(404, what);
  }

  static HttpError badRequest(String why) {
    return new HttpError(400, why);
  }

  static HttpError method(String method, String allowed) {
    return new HttpError(405, "method " + method + " not allowed here; allowed: " + allowed,
        allowed);
  }
}
