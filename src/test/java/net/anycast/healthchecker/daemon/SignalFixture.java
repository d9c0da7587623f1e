package net.anycast.healthchecker.daemon;

import java.nio.file.Path;

/**
 * A child JVM for {@link SignalsTest}: takes the lock and the pidfile, installs the handlers and
 * reports on stdout what it does, as the daemon will.
 */
public final class SignalFixture {
  public static void main(String[] args) throws Exception {
    Path path = Path.of(args[0]);
    InstanceLock lock;
    try {
      lock = InstanceLock.acquire(args[1]);
    } catch (InstanceLock.LockFailedException e) {
      System.out.println(e.getMessage());
      System.exit(1);
      return;
    }
    Pidfile pidfile;
    try {
      pidfile = Pidfile.acquire(path, System.out::println);
    } catch (Pidfile.AlreadyRunningException e) {
      System.out.println(e.getMessage());
      System.exit(1);
      return;
    }
    Signals.install(
        signal -> {
          System.out.println("received " + signal);
          try {
            pidfile.remove();
          } catch (java.io.IOException e) {
            System.out.println("remove failed " + e);
          }
          lock.close();
          System.out.flush();
          System.exit(0);
        },
        signal -> {}, // a second shutdown signal while exiting changes nothing
        () -> {
          System.out.println("run all checks now");
          System.out.flush();
        },
        () -> {
          System.out.println("reload");
          System.out.flush();
        });
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(60_000);
    System.exit(3);
  }
}
