package net.anycast.healthchecker.bird;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import net.anycast.healthchecker.config.BirdFamilyConfig;
import net.anycast.healthchecker.net.IpPrefix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up sanity of a prefix file (SPEC §3 step 4). Nothing is rewritten here: the reconciler's
 * first pass renders the file from the desired set, which fixes the name and the dummy, and it
 * always reconfigures BIRD once.
 */
final class StartupSanity {
  private static final Logger LOG = LoggerFactory.getLogger(StartupSanity.class);

  private StartupSanity() {}

  /**
   * Returns the prefixes of the file to keep for services still UNKNOWN (and orphans unless
   * {@code purge}), logging what the first pass will fix: a wrong or missing {@code define}
   * name, a missing dummy, prefixes of another family or of no service. An unreadable file is
   * logged at error and read as empty: the passes then retry writing it.
   */
  static Set<IpPrefix> prefixes(PrefixFileStore store, BirdFamilyConfig bird, Set<IpPrefix> owned,
      boolean purgeIpPrefixes) {
    String label = bird.family().label();
    Optional<String> text;
    try {
      text = store.read();
    } catch (IOException e) {
      LOG.error("failed to read {} prefix file {}: {}; starting from an empty list",
          label, store.file(), e.toString());
      return Set.of();
    }
    if (text.isEmpty()) {
      LOG.info("{} prefix file {} does not exist, creating it", label, store.file());
      return Set.of();
    }
    PrefixFile.Parsed parsed = PrefixFile.parse(text.get());
    if (!parsed.variable().equals(Optional.of(bird.variable()))) {
      LOG.warn("{}: the BIRD variable name is {} instead of {}, rewriting the file",
          store.file(), parsed.variable().orElse("missing"), bird.variable());
    }
    if (!parsed.prefixes().contains(bird.dummyPrefix())) {
      LOG.warn("{}: dummy IP prefix {} is missing, adding it", store.file(), bird.dummyPrefix());
    }
    Set<IpPrefix> found = new TreeSet<>();
    for (IpPrefix p : parsed.prefixes()) {
      if (p.equals(bird.dummyPrefix())) {
        continue;
      }
      if (p.family() != bird.family()) {
        LOG.warn("{}: {} is not an {} prefix, removing it", store.file(), p, label);
      } else if (!owned.contains(p)) {
        if (purgeIpPrefixes) {
          LOG.info("{}: removing {}: no service check is configured for it", store.file(), p);
        } else {
          LOG.warn("{}: {} has no service check; it stays until the first update "
              + "(set purge_ip_prefixes = true to remove it at start-up)", store.file(), p);
          found.add(p);
        }
      } else {
        found.add(p);
      }
    }
    return Set.copyOf(found);
  }
}
