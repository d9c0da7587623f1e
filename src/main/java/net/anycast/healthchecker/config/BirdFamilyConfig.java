package net.anycast.healthchecker.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;

/**
 * The BIRD settings of one address family ({@code bird_*} or {@code bird6_*} keys).
 *
 * @param conf {@code bird_conf}: the prefix file, already resolved when it is a symlink
 * @param reconfigureCmd {@code bird_reconfigure_cmd}, run when {@code socket} is null
 * @param socket {@code bird_socket}: BIRD's control socket, or null; wins over the command
 */
public record BirdFamilyConfig(
    IpFamily family,
    Path conf,
    String variable,
    String reconfigureCmd,
    IpPrefix dummyPrefix,
    boolean keepChanges,
    int changesCounter,
    Path socket) {

  public BirdFamilyConfig {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(conf, "conf");
    Objects.requireNonNull(variable, "variable");
    Objects.requireNonNull(reconfigureCmd, "reconfigureCmd");
    Objects.requireNonNull(dummyPrefix, "dummyPrefix");
    if (dummyPrefix.family() != family) {
      throw new IllegalArgumentException("dummy prefix " + dummyPrefix + " is not " + family);
    }
  }

  /** Returns the control socket when {@code bird_socket} is set. */
  public Optional<Path> controlSocket() {
    return Optional.ofNullable(socket);
  }
}
