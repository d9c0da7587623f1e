package net.anycast.healthchecker.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/v1/reload}: the token, the method, and the status for each way a reload ends.
 * The reload itself is the daemon's (tested end to end in DaemonReloadEndToEndTest); here it is
 * a recording stand-in, since this tests the listener's side of the seam.
 */
class ReloadEndpointComponentTest extends WebServerHarness {
  private final List<String> triggers = new ArrayList<>();
  private final AtomicReference<ReloadAction.Result> next = new AtomicReference<>();

  @BeforeEach
  void withReload() throws Exception {
    server.close();
    server = WebServer.start(new InetSocketAddress("127.0.0.1", 0), config(true, false),
        new WebServer.Sources(this::snapshot, inputs::get, spool, null,
            InstantSource.system(), trigger -> {
              triggers.add(trigger);
              return next.get();
            }));
  }

  @Test
  void applied_is200_withWhatChanged() throws Exception {
    next.set(new ReloadAction.Result("applied", "1 service added", List.of(),
        List.of("[daemon] pidfile needs a restart"), List.of("added c")));
    HttpResponse<String> r = write("POST", "/api/v1/reload", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Json.parse(r.body())).isEqualTo(Json.parse("{\"result\":\"applied\","
        + "\"summary\":\"1 service added\",\"changes\":[\"added c\"],\"errors\":[],"
        + "\"needs_restart\":[\"[daemon] pidfile needs a restart\"]}"));
    assertThat(triggers).containsExactly("API request from 127.0.0.1");
  }

  @Test
  void invalid_is422_withTheErrors_refused_is409() throws Exception {
    next.set(new ReloadAction.Result("invalid", "Invalid configuration: 1 error; nothing changed",
        List.of("/etc/x.conf: [b] check_rise = 'two': not an integer"), List.of(), List.of()));
    HttpResponse<String> r = write("POST", "/api/v1/reload", null);
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.body()).contains("check_rise = 'two': not an integer");

    next.set(new ReloadAction.Result("refused", "the daemon is stopping",
        List.of("the daemon is stopping"), List.of(), List.of()));
    assertThat(write("POST", "/api/v1/reload", null).statusCode()).isEqualTo(409);
  }

  @Test
  void needsTheToken_andPost() throws Exception {
    assertThat(send("POST", "/api/v1/reload", null).statusCode()).isEqualTo(401);
    assertThat(send("POST", "/api/v1/reload", null, "Authorization",
        "Bearer not-the-token-at-all-0000").statusCode()).isEqualTo(403);
    HttpResponse<String> get = get("/api/v1/reload");
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).contains("POST");
    assertThat(triggers).isEmpty();
  }

  @Test
  void withoutAReload_theEndpointDoesNotExist() throws Exception {
    restart(config(true, false), null);
    assertThat(write("POST", "/api/v1/reload", null).statusCode()).isEqualTo(404);
  }
}
