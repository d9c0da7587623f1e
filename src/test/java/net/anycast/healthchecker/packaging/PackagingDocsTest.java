package net.anycast.healthchecker.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.anycast.healthchecker.cli.Main;
import org.junit.jupiter.api.Test;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * The man page and bash completion in packaging/ are generated from the picocli model and kept
 * in git (no extra build plugin). When the command line changes this test fails; regenerate with
 * {@code mvn test -Dtest=PackagingDocsTest -Dpackaging.regenerate=true}.
 */
class PackagingDocsTest {
  private static final Path MAN = Path.of("packaging/anycast-healthchecker.1");
  private static final Path COMPLETION = Path.of("packaging/anycast-healthchecker.bash-completion");

  private static CommandLine commandLine() throws ReflectiveOperationException {
    Constructor<Main> ctor = Main.class.getDeclaredConstructor(PrintWriter.class, PrintWriter.class);
    ctor.setAccessible(true);
    PrintWriter sink = new PrintWriter(new StringWriter());
    return new CommandLine(ctor.newInstance(sink, sink));
  }

  private static void check(Path file, String generated) throws Exception {
    if (Boolean.getBoolean("packaging.regenerate")) {
      Files.writeString(file, generated, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(file, StandardCharsets.UTF_8))
        .as(file + " is stale: rerun with -Dpackaging.regenerate=true")
        .isEqualTo(generated);
  }

  @Test
  void manPage_isUpToDateWithTheCommandLine() throws Exception {
    String man = ManPage.render(commandLine().getCommandSpec());
    check(MAN, man);
    assertThat(man).contains(".B \\-f, \\-\\-file \\fI<file>\\fR").contains(".SH SIGNALS");
  }

  @Test
  void bashCompletion_isUpToDateWithTheCommandLine() throws Exception {
    String bash = AutoComplete.bash("anycast-healthchecker", commandLine());
    check(COMPLETION, bash);
    assertThat(bash).contains("--service-file").contains("complete -F");
  }
}
