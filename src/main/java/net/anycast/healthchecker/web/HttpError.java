package net.anycast.healthchecker.web;

/** A request the API refuses: the status to answer and the message for {@code {"error": …}}. */
final class HttpError extends Exception {
  private final int status;

  HttpError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }

  static HttpError notFound(String what) {
    return new HttpError(404, what);
  }

  static HttpError badRequest(String why) {
    return new HttpError(400, why);
  }

  static HttpError method(String method, String allowed) {
    return new HttpError(405, "method " + method + " not allowed here; allowed: " + allowed);
  }
}
