package net.anycast.healthchecker.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a symlink at the path of a file the daemon replaces means. The rule: follow it where the
 * original 0.9.10 follows it (it writes {@code bird_conf} and the pidfile with Python's
 * {@code open(path, 'w')}, which writes through a link), refuse it everywhere else (the status
 * file is ours; the textfile metrics file the original replaces by a rename, which never writes
 * through a link). A refused target is an error naming the link: replacing a link the operator
 * made, or writing where it points, would both surprise.
 */
public enum Symlinks {
  /** Write the file the link points to (resolved once, so the temp file sits beside it). */
  FOLLOW,
  /** Fail when the path is a symlink. */
  REFUSE;

  private static final int MAX_HOPS = 40;

  /** Returns the path to replace for {@code path} under this rule. */
  public Path target(Path path) throws IOException {
    Path p = path.toAbsolutePath();
    if (this == REFUSE) {
      if (Files.isSymbolicLink(p)) {
        throw new IOException(p + " is a symbolic link; refusing to replace or follow it"
            + " (make it a plain file)");
      }
      return p;
    }
    for (int hops = 0; hops < MAX_HOPS && Files.isSymbolicLink(p); hops++) {
      p = p.resolveSibling(Files.readSymbolicLink(p)).normalize();
    }
    return p;
  }
}
