package net.anycast.healthchecker.bird;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import net.anycast.healthchecker.config.BirdFamilyConfig;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.inputs.Inputs;
import net.anycast.healthchecker.inputs.InputsRef;
import net.anycast.healthchecker.net.IpFamily;

/**
 * A child JVM for {@link KilledWriterEndToEndTest}: the real reconciler writing {@code args[0]}
 * and reconfiguring the BIRD on socket {@code args[1]}, while {@link #SERVICES} services flip
 * at random (seed {@code args[2]}) as fast as it can apply them, until it is SIGKILLed. Stops
 * by itself after 60 s.
 */
public final class WriterMain {
  static final int SERVICES = 200;

  private WriterMain() {}

  static List<ServiceConfig> services() {
    return java.util.stream.IntStream.range(0, SERVICES).mapToObj(i -> TestServices.service(
        "s" + i, "10.6." + (i / 100) + "." + (i % 100 + 1))).toList();
  }

  public static void main(String[] args) throws Exception {
    BirdFamilyConfig bird = new BirdFamilyConfig(IpFamily.IPV4, Path.of(args[0]),
        BgpTestbed.VAR4, "unused", BgpTestbed.DUMMY4, false, 128, Path.of(args[1]));
    Random random = new Random(Long.parseLong(args[2]));
    List<ServiceConfig> services = services();
    InputsRef board = new InputsRef(Inputs.of(services));
    Reconciler r = Reconciler.create(bird, false, board, by -> 0);
    r.start();
    System.out.println("READY");
    System.out.flush();
    long end = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < end) {
      for (int i = random.nextInt(SERVICES); i > 0; i--) {
        board.publish(services.get(random.nextInt(SERVICES)).name(),
            random.nextBoolean() ? Health.UP : Health.DOWN);
      }
      Thread.sleep(random.nextInt(3));
    }
    r.close();
  }
}
